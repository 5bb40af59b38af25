import { Parser } from "htmlparser2";
import { DROPPED_ELEMENTS, HIDDEN_STYLE } from "../preclean.js";
import { TreeAttr, type TreeDocument, type TreeElement, type TreeParent } from "./nodes.js";

/**
 * htmlparser2's events straight into the array tree: one pass, no intermediate tree. htmlparser2
 * closes what HTML closes implicitly (a <p> before a block, an open <li> before the next) and
 * decodes entities; tag and attribute names come lower case, and the first of two same-named
 * attributes wins, as in a browser. Adjacent text is one text node, as in a browser (htmlparser2
 * reports it in pieces around entities).
 *
 * What is never the story does not enter the tree (the same rules as precleanHtml, which does this
 * on the string for jsdom): scripts other than JSON-LD, styles, SVG, templates, frames, objects,
 * comments; a <noscript> only when it holds an image (lazy-loading pages give non-JS readers the
 * real image there); inline styles, except that one which hides its element becomes `hidden`.
 */
const DROPPED = new Set<string>(DROPPED_ELEMENTS);
/** The value of a script's type attribute (preclean reads it from the raw tag instead). */
const LD_JSON_TYPE = /\bapplication\/ld\+json/i;

export function parseInto(root: TreeParent, html: string): void {
  const doc = (root.ownerDocument ?? root) as TreeDocument;
  let current: TreeParent = root;
  /** Open elements inside a dropped one, counting it: nothing is built while above zero. */
  let dropping = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (
          dropping > 0 ||
          (DROPPED.has(name) && !(name === "script" && LD_JSON_TYPE.test(attributes.type ?? "")))
        ) {
          dropping++;
          return;
        }
        const element = doc.createElement(name);
        for (const key in attributes) {
          const value = attributes[key] as string;
          if (key !== "style") element.attributes.push(new TreeAttr(key, value));
          else if (HIDDEN_STYLE.test(value) && attributes.hidden === undefined)
            element.attributes.push(new TreeAttr("hidden", ""));
        }
        current.appendParsed(element);
        current = element;
      },
      onclosetag() {
        if (dropping > 0) {
          dropping--;
          return;
        }
        if (current === root) return;
        const closed = current as TreeElement;
        current = closed.parentNode ?? root;
        if (closed.localName === "noscript" && closed.getElementsByTagName("img").length === 0)
          closed.remove();
      },
      ontext(text) {
        if (dropping === 0) current.appendParsed(doc.createTextNode(text));
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
}
