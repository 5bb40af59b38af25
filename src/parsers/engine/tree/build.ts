import { Parser } from "htmlparser2";
import { TreeAttr, type TreeDocument, type TreeElement, type TreeParent } from "./nodes.js";

/**
 * htmlparser2's events straight into the array tree: one pass, no intermediate tree. htmlparser2
 * closes what HTML closes implicitly (a <p> before a block, an open <li> before the next) and
 * decodes entities; tag and attribute names come lower case, and the first of two same-named
 * attributes wins, as in a browser. Adjacent text is one text node, as in a browser (htmlparser2
 * reports it in pieces around entities).
 */
export function parseInto(root: TreeParent, html: string): void {
  const doc = (root.ownerDocument ?? root) as TreeDocument;
  let current: TreeParent = root;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const element = doc.createElement(name);
        for (const key in attributes) element.attributes.push(new TreeAttr(key, attributes[key] as string));
        current.appendParsed(element);
        current = element;
      },
      onclosetag() {
        if (current !== root) current = (current as TreeElement).parentNode ?? root;
      },
      ontext(text) {
        current.appendParsed(doc.createTextNode(text));
      },
      oncomment(text) {
        current.appendParsed(doc.createComment(text));
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
}
