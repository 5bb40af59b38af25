/**
 * Plain text from a DOM subtree, the way a reader sees it: each block element is its own
 * paragraph, paragraphs are separated by one blank line, runs of white space inside a paragraph
 * collapse to one space, <br> breaks a line, and <pre> keeps its own lines.
 */
const BLOCK_TAGS = new Set([
  "ADDRESS",
  "ARTICLE",
  "ASIDE",
  "BLOCKQUOTE",
  "DD",
  "DETAILS",
  "DIV",
  "DL",
  "DT",
  "FIELDSET",
  "FIGCAPTION",
  "FIGURE",
  "FOOTER",
  "FORM",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "HEADER",
  "HR",
  "LI",
  "MAIN",
  "NAV",
  "OL",
  "P",
  "PRE",
  "SECTION",
  "SUMMARY",
  "TABLE",
  "TBODY",
  "THEAD",
  "TFOOT",
  "TR",
  "UL",
]);

const SKIPPED_TAGS = new Set([
  "SCRIPT",
  "STYLE",
  "NOSCRIPT",
  "TEMPLATE",
  "SVG",
  "BUTTON",
  "SELECT",
  "TEXTAREA",
]);

export interface BlockTextOptions {
  /** Leave figure captions out (they are carried by images[] instead). */
  skipCaptions?: boolean;
}

/** What blockText collapses in a text node, other than a lone space: most nodes have none. */
const BLOCK_SPACE_TO_COLLAPSE = /[\t\n\f\r\u00a0\u200b]| {2}/;

export function blockText(root: Element, options: BlockTextOptions = {}): string {
  const paragraphs: string[] = [];
  let current = "";

  const flush = () => {
    const text = current.replace(/[ \t\f\r\u00a0]*\n[ \t\f\r\u00a0]*/g, "\n").trim();
    if (text) paragraphs.push(text);
    current = "";
  };

  const walk = (node: Node, inPre: boolean) => {
    if (node.nodeType === 3) {
      const value = node.nodeValue ?? "";
      current +=
        inPre || !BLOCK_SPACE_TO_COLLAPSE.test(value)
          ? value
          : value.replace(/[ \t\n\f\r\u00a0\u200b]+/g, " ");
      return;
    }
    if (node.nodeType !== 1) return;
    const element = node as Element;
    const tag = element.tagName.toUpperCase();
    if (SKIPPED_TAGS.has(tag)) return;
    if (options.skipCaptions && tag === "FIGCAPTION") return;
    if (tag === "BR") {
      current = `${current.replace(/ +$/, "")}\n`;
      return;
    }
    const isBlock = BLOCK_TAGS.has(tag);
    if (isBlock) flush();
    const pre = inPre || tag === "PRE";
    for (let child = element.firstChild; child; child = child.nextSibling) {
      walk(child, pre);
      // Table cells on one row read as one line separated by spaces.
      if (tag === "TR" && child.nodeType === 1) current += " ";
    }
    if (isBlock) flush();
  };

  walk(root, false);
  flush();
  return paragraphs.map((p) => p.replace(/ {2,}/g, " ").replace(/ \n/g, "\n")).join("\n\n");
}

/** White space other than a lone space: what inlineText collapses. */
const UNCOLLAPSED_SPACE = /[^\S ]|\u200b| {2}/;

/** Whitespace-normalised text of one element (for titles, captions, bylines). */
export function inlineText(node: Node | null | undefined): string {
  if (!node) return "";
  const text = node.textContent ?? "";
  // Most texts asked for (three in four, over the corpora) have nothing to collapse: a test finds
  // that without building a copy.
  return (UNCOLLAPSED_SPACE.test(text) ? text.replace(/[\s\u00a0\u200b]+/g, " ") : text).trim();
}

/**
 * How many parts `text.split(" ")` would give, counted no further than `cap` + 1: a long block is
 * not split into thousands of words only to be found longer than a headline.
 */
export function spacedWordsUpTo(text: string, cap: number): number {
  let count = 1;
  for (let at = text.indexOf(" "); at !== -1 && count <= cap; at = text.indexOf(" ", at + 1)) count++;
  return count;
}

/** A word starts with a letter or a digit, and goes on through them, combining marks, ' ’ _ and -. */
const WORD_START = /[\p{L}\p{N}]/uy;
const WORD_PART = /[\p{L}\p{N}\p{M}'’_-]/uy;

/**
 * How many words `text` holds: the matches of [\p{L}\p{N}][\p{L}\p{N}\p{M}'’_-]*, counted as the
 * text is read instead of collected (a body's thousands of words were each a string made only to
 * be counted). ASCII is tested by its code; any other character by the classes, at its place.
 */
export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let at = 0; at < text.length; ) {
    const code = text.codePointAt(at) as number;
    let start: boolean;
    let part: boolean;
    if (code < 128) {
      const lower = code | 32;
      start = (code >= 48 && code <= 57) || (lower >= 97 && lower <= 122);
      part = start || code === 39 || code === 95 || code === 45;
    } else {
      WORD_START.lastIndex = at;
      start = WORD_START.test(text);
      WORD_PART.lastIndex = at;
      part = start || WORD_PART.test(text);
    }
    if (inWord) inWord = part;
    else if (start) {
      inWord = true;
      count++;
    }
    at += code > 0xffff ? 2 : 1;
  }
  return count;
}

const INVISIBLE_TAGS = new Set(["BUTTON", "SELECT", "SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "SVG"]);

/** Text a reader sees in an element: like inlineText, without buttons ("Follow") or aria-hidden decoration. */
export function visibleText(node: Node | null | undefined): string {
  if (!node) return "";
  let out = "";
  const walk = (current: Node) => {
    if (current.nodeType === 3) {
      out += current.nodeValue ?? "";
      return;
    }
    if (current.nodeType !== 1) return;
    const element = current as Element;
    if (INVISIBLE_TAGS.has(element.tagName.toUpperCase()) || element.getAttribute("aria-hidden") === "true")
      return;
    for (let child = element.firstChild; child; child = child.nextSibling) walk(child);
  };
  walk(node);
  return out.replace(/[\s\u00a0\u200b]+/g, " ").trim();
}

/** What shortTextOf collapses (\s), other than a lone space. */
const SPACE_TO_COLLAPSE = /[^\S ]| {2}/;

/** White space a short text may carry in indented markup, as a multiple of its own length. */
const INDENT_SLACK = 16;

/**
 * A node's text with its white space collapsed when that is at most `max` characters (and its raw
 * text passes `rawTest`), else null: a text far longer than that is not collapsed only to be
 * thrown away.
 */
export function shortTextOf(node: Node | null | undefined, max: number, rawTest?: RegExp): string | null {
  const raw = node?.textContent ?? "";
  if (raw.length > max * INDENT_SLACK) return null;
  // A test the uncollapsed text must pass (collapsing white space keeps every word and the space
  // after it): most texts fail it without being collapsed.
  if (rawTest && !rawTest.test(raw)) return null;
  if (raw.length > max && collapsedLength(raw, max, false) > max) return null;
  const text = (SPACE_TO_COLLAPSE.test(raw) ? raw.replace(/\s+/g, " ") : raw).trim();
  return text && text.length <= max ? text : null;
}

/** JavaScript's \s by code unit, and the zero-width space when `zeroWidth` (inlineText's set). */
function isSpace(code: number, zeroWidth: boolean): boolean {
  if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return true;
  if (code <= 0x7f) return false;
  return (zeroWidth && code === 0x200b) || /\s/.test(String.fromCharCode(code));
}

/**
 * The length `raw` would have with its white space collapsed and trimmed, counted without building
 * it and only as far as `max` (past it, `max` + 1): a long block is measured by its first characters.
 */
function collapsedLength(raw: string, max: number, zeroWidth: boolean): number {
  let length = 0;
  let pendingSpace = false;
  for (let at = 0; at < raw.length; at++) {
    if (isSpace(raw.charCodeAt(at), zeroWidth)) {
      pendingSpace = length > 0;
      continue;
    }
    length += pendingSpace ? 2 : 1;
    pendingSpace = false;
    if (length > max) return max + 1;
  }
  return length;
}

/** inlineText(node).length, without building the text. */
export function inlineTextLength(node: Node | null | undefined): number {
  return node ? collapsedLength(node.textContent ?? "", Number.POSITIVE_INFINITY, true) : 0;
}

/** How much of an element's inline text is link text: its links' inlineText lengths, summed. */
export function linkedTextLength(element: Element): number {
  let linked = 0;
  for (const link of Array.from(element.querySelectorAll("a"))) linked += inlineTextLength(link);
  return linked;
}
