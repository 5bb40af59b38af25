import { publisherForCredit } from "../generic/publishers.js";
import { removeWithEmptyWrappers } from "./noise.js";
import { inlineText, linkedTextLength } from "./text.js";

/** Head and foot lines looked at, alternately from the end and from the start. */
const LINES_LOOKED_AT = 4;

/**
 * Credit lines at the head or foot of a body ("The Wall Street Journal"): provenance, not story.
 * Removed from the body and returned in reading order.
 */
export function removeCreditLines(content: Element): string[] {
  const credits: string[] = [];
  // The blocks are listed once; whether one is a line is judged when an end reaches it, since
  // removing a line (and the wrappers it empties) changes what is left.
  const blocks = Array.from(content.querySelectorAll("p, div, span, em, strong, h5, h6"));
  const isLine = (block: Element) =>
    content.contains(block) && !block.querySelector("p, div") && inlineText(block) !== "";
  let head = 0;
  let tail = blocks.length - 1;
  for (let i = 0; i < LINES_LOOKED_AT; i++) {
    const fromEnd = i % 2 === 0;
    if (fromEnd) while (tail >= head && !isLine(blocks[tail] as Element)) tail--;
    else while (head <= tail && !isLine(blocks[head] as Element)) head++;
    const line = head <= tail ? blocks[fromEnd ? tail : head] : undefined;
    if (!line) break;
    const text = inlineText(line);
    if (!publisherForCredit(text)) continue;
    if (fromEnd) credits.push(text);
    else credits.unshift(text);
    removeWithEmptyWrappers(line, content);
  }
  return credits;
}

/** What the page says of its source and of itself, read before cleaning removes it. */
export interface PageCredits {
  /**
   * Short standalone lines in and around the article, in document order: where source lines,
   * copyright lines and "originally appeared in" lines stand, before or after the body.
   */
  lines: string[];
  /** The site's own name as its masthead shows it: logo alt text, home link, site-title element. */
  mastheads: string[];
  /** Names of the microdata publisher (itemprop=publisher), e.g. a partner's logo on a hosting site. */
  microdataPublishers: string[];
  /** The outlet a byline block prints beside its names, in an element of its own ("publication", "agency"). */
  bylineOutlets: string[];
  /** og:site_name as the page declares it (a mirror copies it from the copy it mirrors). */
  siteName: string | null;
  /** The document title. */
  documentTitle: string | null;
}

/** Subtrees that never hold the story's credits: menus, pictures, forms, scripts. */
const SKIPPED = new Set([
  "NAV",
  "FIGURE",
  "FIGCAPTION",
  "PICTURE",
  "FORM",
  "BUTTON",
  "SELECT",
  "SCRIPT",
  "STYLE",
  "TEMPLATE",
  "NOSCRIPT",
  "SVG",
  "IFRAME",
  "UL",
  "OL",
]);
/** Furniture by name: captions and credits of pictures, related and popular stories, widgets. */
const SKIPPED_NAMES =
  /caption|photo-?credit|image-?credit|related|recirc|trending|popular|most-?read|promo|newsletter|sidebar|widget|comment|share|social|breadcrumb|menu|advert/i;
const HOLDS_ARTICLE = "article, main, h1, [itemprop=articleBody]";
const BLOCKS = new Set([
  "P",
  "DIV",
  "SECTION",
  "ARTICLE",
  "MAIN",
  "ASIDE",
  "HEADER",
  "FOOTER",
  "TABLE",
  "UL",
  "OL",
  "BLOCKQUOTE",
  "H1",
  "H2",
  "H3",
  "FIGURE",
]);
const LINE_TAGS = new Set([
  "P",
  "DIV",
  "SPAN",
  "SMALL",
  "EM",
  "STRONG",
  "B",
  "I",
  "H4",
  "H5",
  "H6",
  "ADDRESS",
  "CITE",
  "FOOTER",
  "SECTION",
  "ASIDE",
]);
const MAX_LINE = 400;
const MAX_LINES = 400;

function hasBlockChild(element: Element): boolean {
  for (let child = element.firstElementChild; child; child = child.nextElementSibling) {
    if (BLOCKS.has(child.tagName.toUpperCase())) return true;
  }
  return false;
}

function linkedShare(element: Element, text: string): number {
  return text.length > 0 ? linkedTextLength(element) / text.length : 0;
}

/** The page-wide footer (not an article's own): the site's furniture. */
function isSiteFooter(element: Element): boolean {
  if (element.getAttribute("role") === "contentinfo") return true;
  return (
    element.tagName.toUpperCase() === "FOOTER" && !element.closest("article, main, [itemprop=articleBody]")
  );
}

/** Standalone short lines under `root`, not inside menus, pictures or the site's footer. */
function standaloneLines(root: Element): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  const pending: Element[] = [root];
  while (pending.length > 0 && lines.length < MAX_LINES) {
    const element = pending.pop() as Element;
    const tag = element.tagName.toUpperCase();
    if (SKIPPED.has(tag) || isSiteFooter(element)) continue;
    const names = `${element.getAttribute("class") ?? ""} ${element.getAttribute("id") ?? ""}`;
    // A wrapper named "has-sidebar" or "with-comments" may hold the article itself.
    if (names.length > 1 && SKIPPED_NAMES.test(names) && !element.querySelector(HOLDS_ARTICLE)) continue;
    if (LINE_TAGS.has(tag) && !hasBlockChild(element)) {
      const text = inlineText(element);
      // A line that is all link is a menu item or a related story, not a credit.
      if (
        text.length >= 2 &&
        text.length <= MAX_LINE &&
        !seen.has(text) &&
        linkedShare(element, text) < 0.9
      ) {
        seen.add(text);
        lines.push(text);
      }
      if (tag === "P" || text.length <= MAX_LINE) continue;
    }
    const children: Element[] = [];
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) children.push(child);
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i] as Element);
  }
  return lines;
}

function shortText(value: string | null | undefined): string | null {
  const text = value?.replace(/\s+/g, " ").trim();
  return text && text.length <= 80 ? text : null;
}

/** The site's name as its own masthead prints it. */
function mastheadNames(document: Document): string[] {
  const names: string[] = [];
  const add = (value: string | null | undefined) => {
    const text = shortText(value);
    if (text && !names.includes(text)) names.push(text);
  };
  for (const link of Array.from(
    document.querySelectorAll("a[rel~=home], header a[href='/'], [class*=logo] a[href='/']"),
  ).slice(0, 5)) {
    add(
      link.querySelector("img[alt]")?.getAttribute("alt") ??
        link.getAttribute("title") ??
        link.getAttribute("aria-label"),
    );
    add(inlineText(link));
  }
  for (const logo of Array.from(
    document.querySelectorAll("header img[alt], [class*=logo] img[alt], img[class*=logo][alt]"),
  ).slice(0, 5))
    add(logo.getAttribute("alt"));
  for (const title of Array.from(
    document.querySelectorAll("[class*=site-title], [class*=site-name], [class*=masthead] [class*=name]"),
  ).slice(0, 3))
    add(inlineText(title));
  return names.filter(
    (name) => !/^(?:logo|home|homepage|menu|search\b|go to\b|back to\b|return to\b|skip\b)/i.test(name),
  );
}

function microdataPublishers(document: Document): string[] {
  const names: string[] = [];
  for (const node of Array.from(document.querySelectorAll("[itemprop~=publisher]")).slice(0, 5)) {
    const name =
      node.querySelector("[itemprop~=name]")?.getAttribute("content") ??
      (inlineText(node.querySelector("[itemprop~=name]")) ||
        node.querySelector("img[alt]")?.getAttribute("alt") ||
        (node.tagName.toUpperCase() === "META" ? node.getAttribute("content") : inlineText(node)));
    const text = shortText(name);
    if (text && !names.includes(text)) names.push(text);
  }
  return names;
}

/** An element of a byline block named for the outlet the story comes from. */
const BYLINE_OUTLET =
  "[class*=byline] [class*=publication], [class*=byline] [class*=agency], [class*=byline] [class*=provider], [class*=author] ~ [class*=publication], [class*=author] ~ [class*=agency], [class*=author] ~ [class*=provider], [itemprop~=sourceOrganization]";
const MAX_BYLINE_OUTLETS = 3;

function bylineOutlets(document: Document): string[] {
  const names: string[] = [];
  for (const node of Array.from(document.querySelectorAll(BYLINE_OUTLET))) {
    if (names.length >= MAX_BYLINE_OUTLETS) break;
    if (node.closest("footer, nav, aside") || node.querySelector("p, div, li")) continue;
    const text = shortText(inlineText(node));
    if (text && text.length <= 60 && !names.includes(text)) names.push(text);
  }
  return names;
}

function declaredSiteName(document: Document): string | null {
  for (const meta of Array.from(document.querySelectorAll("meta[content]"))) {
    const key = (meta.getAttribute("property") ?? meta.getAttribute("name") ?? "").toLowerCase();
    if (key === "og:site_name") return shortText(meta.getAttribute("content"));
  }
  return null;
}

/**
 * Read from the whole page before any cleaning: a source line printed after the body, a credit
 * in the article's footer or a partner's logo sit where body extraction does not look.
 */
export function readPageCredits(document: Document): PageCredits {
  const body = document.body ?? document.documentElement;
  return {
    lines: body ? standaloneLines(body) : [],
    mastheads: mastheadNames(document),
    microdataPublishers: microdataPublishers(document),
    bylineOutlets: bylineOutlets(document),
    siteName: declaredSiteName(document),
    documentTitle:
      document.querySelector("title")?.textContent?.replace(/\s+/g, " ").trim().slice(0, 300) || null,
  };
}
