/**
 * "Original URL: https://…" lines anywhere in a page. Aggregators print them where a body
 * extractor may not look (a footer, a paragraph too short to score), so the whole tree is read,
 * before any cleaning. The label and the URL may sit in different elements
 * ("<strong>Original URL:</strong> <a href=…>https://…</a>"): the URL is the first text after the
 * label, with only white space between.
 */
const LABEL = /Original\s+URL\s*:/gi;
const LEADING_URL = /^\s*(https?:\/\/[^\s<>"']+)/i;
/** Text in these is not printed on the page (JSON-LD survives pre-cleaning as a script). */
const UNPRINTED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

export function printedOriginalUrls(root: Element | null): string[] {
  const urls: string[] = [];
  let pending = false; // a label was seen and its URL has not come yet
  for (const text of printedTextNodes(root)) {
    if (pending) {
      if (!text.trim()) continue;
      const url = LEADING_URL.exec(text)?.[1];
      if (url) urls.push(url);
      pending = false;
    }
    for (const label of text.matchAll(LABEL)) {
      const rest = text.slice((label.index ?? 0) + label[0].length);
      const url = LEADING_URL.exec(rest)?.[1];
      if (url) urls.push(url);
      else pending = !rest.trim();
    }
  }
  return urls;
}

/** Runs of text in document order, walked without recursion (pages nest deeply). */
function* printedTextNodes(root: Node | null): Generator<string> {
  let node: Node | null = root;
  while (node) {
    if (node.nodeType === TEXT_NODE) {
      // Adjacent text nodes are one run of text (linkedom splits text at entities).
      let text = node.nodeValue ?? "";
      while (node.nextSibling?.nodeType === TEXT_NODE) {
        node = node.nextSibling;
        text += node.nodeValue ?? "";
      }
      yield text;
    }
    const enter = node.nodeType !== ELEMENT_NODE || !UNPRINTED.has((node as Element).tagName.toUpperCase());
    if (enter && node.firstChild) {
      node = node.firstChild;
      continue;
    }
    while (node && node !== root && !node.nextSibling) node = node.parentNode;
    node = node && node !== root ? node.nextSibling : null;
  }
}
