import { textRuns } from "./walk.js";

/**
 * "Original URL: https://…" lines anywhere in a page. Aggregators print them where a body
 * extractor may not look (a footer, a paragraph too short to score), so the whole tree is read,
 * before any cleaning. The label and the URL may sit in different elements
 * ("<strong>Original URL:</strong> <a href=…>https://…</a>"): the URL is the first text after the
 * label, with only white space between.
 */
const LABEL = /Original\s+URL\s*:/gi;
/** The same, to pass over the many runs without a label (matchAll copies its pattern on every call). */
const HAS_LABEL = new RegExp(LABEL.source, "i");
/** Sticky: matched where the label ends, without copying the rest of a long text. */
const URL_AFTER = /\s*(https?:\/\/[^\s<>"']+)/iy;
const ONLY_SPACE_AFTER = /\s*$/y;
/** Text in these is not printed on the page (JSON-LD survives pre-cleaning as a script). */
const UNPRINTED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);

export function printedOriginalUrls(root: Element | null): string[] {
  const urls: string[] = [];
  let pending = false; // a label was seen and its URL has not come yet
  if (!root) return urls;
  for (const text of textRuns(root, UNPRINTED)) {
    if (pending) {
      if (!text.trim()) continue;
      const url = urlAt(text, 0);
      if (url) urls.push(url);
      pending = false;
    }
    if (!HAS_LABEL.test(text)) continue;
    for (const label of text.matchAll(LABEL)) {
      const end = (label.index ?? 0) + label[0].length;
      const url = urlAt(text, end);
      if (url) urls.push(url);
      else {
        ONLY_SPACE_AFTER.lastIndex = end;
        pending = ONLY_SPACE_AFTER.test(text);
      }
    }
  }
  return urls;
}

function urlAt(text: string, at: number): string | null {
  URL_AFTER.lastIndex = at;
  return URL_AFTER.exec(text)?.[1] ?? null;
}
