import { parseInto } from "./build.js";
import { TreeDocument } from "./nodes.js";

/** A whole page as an array tree. A `<base href>` moves the base its relative links resolve against. */
export function parseTree(html: string, url: string): TreeDocument {
  const document = new TreeDocument(url);
  parseInto(document, html);
  const base = document.head?.getElementsByTagName("base")[0]?.getAttribute("href");
  if (base) {
    try {
      document.baseURI = new URL(base, url).href;
    } catch {
      // An unusable <base> is ignored, as browsers ignore it.
    }
  }
  return document;
}
