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
const GREATER_THAN = 0x3e;

export function parseInto(root: TreeParent, html: string): void {
  const doc = (root.ownerDocument ?? root) as TreeDocument;
  let current: TreeParent = root;
  /** Open elements inside a dropped one, counting it: nothing is built while above zero. */
  let dropping = 0;
  /**
   * The element whose start tag is being read: its attributes arrive one by one, and it enters the
   * tree at the next event, once they are all known (a script's type decides whether it is kept).
   */
  let opening: TreeElement | null = null;
  /** Whether the tag being read has had its (first) style attribute. */
  let styled = false;
  /** The hidden attribute its style gave it, until the tag turns out to have one of its own. */
  let hiddenByStyle: TreeAttr | null = null;
  const finishOpening = (): void => {
    const element = opening as TreeElement;
    opening = null;
    if (element.localName === "script" && !LD_JSON_TYPE.test(element.getAttribute("type") ?? "")) {
      dropping = 1;
      return;
    }
    current.appendParsed(element);
    current = element;
  };
  // htmlparser2's attribute callback instead of its onopentag: given an onopentag, it builds an
  // object of each tag's attributes, which cost more than the tree's own list of them.
  const parser = new Parser(
    {
      onopentagname(name) {
        if (opening) finishOpening();
        if (dropping > 0 || (DROPPED.has(name) && name !== "script")) {
          dropping++;
          return;
        }
        opening = doc.createElement(name);
        styled = false;
        hiddenByStyle = null;
      },
      onattribute(name, value) {
        if (!opening) return;
        const attributes = opening.attributes;
        if (name === "style") {
          // The first of two same-named attributes wins, as in a browser.
          if (styled) return;
          styled = true;
          if (!HIDDEN_STYLE.test(value) || opening.findAttr("hidden")) return;
          hiddenByStyle = new TreeAttr("hidden", "");
          attributes.push(hiddenByStyle);
          return;
        }
        if (name === "hidden" && hiddenByStyle) {
          attributes.splice(attributes.indexOf(hiddenByStyle), 1);
          hiddenByStyle = null;
        } else if (opening.findAttr(name)) return;
        attributes.push(new TreeAttr(name, value));
      },
      onclosetag() {
        if (opening) finishOpening();
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
        if (opening) finishOpening();
        if (dropping === 0) current.appendParsed(doc.createTextNode(text));
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  // A start tag the markup ends inside never ended: browsers drop it, and htmlparser2 sends no
  // event for its end (its last event then ends elsewhere than at a ">"), so it stays out.
  if (opening && html.charCodeAt(parser.endIndex) !== GREATER_THAN) opening = null;
  parser.end();
  if (opening) finishOpening();
}
