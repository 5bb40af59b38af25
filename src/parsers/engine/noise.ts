import { classOrIdMatches } from "./name-index.js";
import { queryAll } from "./query.js";
import { inlineText, linkedTextLength, shortTextOf, spacedWordsUpTo } from "./text.js";

/**
 * What is on a news page but is not the story. Two passes: whole elements that are boilerplate by
 * their role or class (before the body extractor scores the page), and lines inside the extracted
 * body that are prompts, related-story headlines or credits (after it).
 */
const BOILERPLATE_TAGS = new Set(["NAV", "BUTTON", "SELECT", "TEXTAREA", "INPUT", "DIALOG"]);
/** Class, id and data-testid fragments of page furniture (compared case-insensitively). */
const BOILERPLATE_NAMES =
  /newsletter|share-?bar|social-share|share-tools|share-buttons|related-(?:stories|articles|content)|recommended|most-popular|ad-slot|advertisement|comments-prompt|cookie|article-tags|tag-list|post-tags/i;
const BOILERPLATE_TESTIDS = /newsletter|share|related/i;
const KEEP_WHEN_ARIA_HIDDEN = new Set(["IMG", "FIGURE", "PICTURE"]);

/** Page furniture by tag, role, visibility or name: navigation, forms' controls, share bars, promos. */
export function isBoilerplate(element: Element): boolean {
  const tag = element.tagName.toUpperCase();
  if (BOILERPLATE_TAGS.has(tag)) return true;
  if (element.hasAttribute("hidden")) return true;
  if (element.getAttribute("role") === "navigation") return true;
  if (element.getAttribute("aria-hidden") === "true" && !KEEP_WHEN_ARIA_HIDDEN.has(tag)) return true;
  if (classOrIdMatches(element, BOILERPLATE_NAMES)) return true;
  const testId = element.getAttribute("data-testid");
  return testId !== null && BOILERPLATE_TESTIDS.test(testId);
}

/**
 * Removes page furniture in one walk of the tree (a selector per kind costs a walk each, which
 * is most of the time jsdom spends on a large page). An element holding more than `maxShare` of
 * the root's text is spared: a class such as "has-advertisement" on a page wrapper must not take
 * the story with it.
 */
export function removeBoilerplate(root: Element, maxShare: number): number {
  const limit = (root.textContent ?? "").length * maxShare;
  const doomed: Element[] = [];
  const walk = (element: Element) => {
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) {
      if (isBoilerplate(child) && (child.textContent ?? "").length <= limit) doomed.push(child);
      else walk(child);
    }
  };
  walk(root);
  for (const element of doomed) element.remove();
  return doomed.length;
}

/** Whole-line prompts and notices; compared with a block's full, whitespace-normalised text. */
const NOISE_LINES: RegExp[] = [
  /^(?:add|post|leave|write) (?:your|a) comment\b/i,
  /^(?:to )?join the conversation\b/i,
  /^(?:show|view|load|read|see) (?:all )?(?:\d+ )?comments?\b/i,
  /^comments? \(?\d*\)?$/i,
  /^don'?t have an account\??/i,
  /^(?:sign|log) in to (?:comment|continue|read)\b/i,
  /^sign up (?:for|to|now)\b.{0,120}$/i,
  /^(?:get|subscribe to) (?:our|the) .{0,60}newsletters?\b/i,
  /^subscribe (?:now|today|to (?:read|continue|unlock))\b/i,
  /^already (?:a subscriber|have an account)\b/i,
  /^(?:this (?:article|story|content) is (?:only )?(?:for|available to) (?:subscribers|members))\b/i,
  /^(?:continue|keep) reading\b.{0,80}$/i,
  /^(?:read more|read next|more from|related(?: stories| articles| coverage)?|see also|recommended|most popular|trending now|you might also like|also read)\s*[:|-]?.{0,140}$/i,
  /^share (?:this|on|via)\b.{0,40}$/i,
  /^(?:advertisement|sponsored content|ad|story continues below(?: advertisement)?)$/i,
  /^(?:click|tap) here to\b.{0,100}$/i,
  /^follow (?:us|@\w+)\b.{0,80}$/i,
  /^original url\s*:/i,
  /^write to .{2,80} at \S+@\S+/i,
  /^appeared in the .{0,60}print edition\b/i,
  /^(?:corrections? (?:&|and) amplifications?)$/i,
  /^(?:©|\(c\)|copyright\b)\s*(?:\d{4}|[\p{L}])/iu,
  /^the contents of this site are\b/i,
  /^all rights reserved\.?$/i,
  // Photo credits and gallery chrome printed as lines of their own.
  /^(?:photo|picture|image|foto|video)s?\s*(?:by)?\s*:\s*.{2,80}$/i,
  /^(?:image|photo|slide|picture)\s+\d+\s+of\b.{0,10}$/i,
  /^(?:caption|close|expand|enlarge|next|previous|prev|back to gallery|hide caption|show caption|toggle caption)$/i,
  /^(?:sign in|log in|login|sign up|register|subscribe|menu|search)$/i,
  /^more (?:[\p{L}&-]+ ){0,3}(?:news|stories|articles|videos)$/iu,
  // A line that is only a URL, an e-mail address or a social handle.
  /^(?:https?:\/\/|www\.)\S+$/i,
  /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/,
  /^(?:(?:twitter|x|instagram|facebook)\.com\/|@)[\w.]+$/i,
  // The same prompts in the other languages the corpus and our users meet most.
  /^(?:lesen sie auch|mehr zum thema|auch interessant|lire aussi|à lire aussi|leer más|lea también|leggi anche|lees ook)\s*[:|-]?.{0,140}$/i,
  /^(?:anzeige|werbung|publicité|publicidad|pubblicità|advertentie|إعلان|реклама|広告|广告|광고|pr)$/i,
];

/** A topic list printed as a line: "Tags: a, b, c" (no sentence in it). */
const TAG_LINE =
  /^(?:tags|tagged(?: with)?|topics|keywords|schlagworte|etiquetas|mots-clés)\s*:?\s+[^.!?]{0,400}$/i;

export function isNoiseLine(text: string): boolean {
  if (text.length === 0) return false;
  if (TAG_LINE.test(text)) return true;
  return text.length <= 240 && NOISE_LINES.some((re) => re.test(text));
}

export function removeAll(root: ParentNode, selectors: readonly string[]): number {
  let removed = 0;
  for (const selector of selectors) {
    for (const node of queryAll(root, selector)) {
      // Already gone with a removed ancestor (roots may be detached, so isConnected can't tell).
      if (!(root as Node).contains(node)) continue;
      node.remove();
      removed++;
    }
  }
  return removed;
}

const LINE_BLOCKS = "p, div, li, h2, h3, h4, h5, h6, blockquote, aside, section, span, strong, a";
/** The longest text a line of noise has: a label and a long URL, a prompt, a headline. */
const MAX_LINE_TEXT = 2_000;

export interface BodyNoise {
  /** URLs printed after "Original URL:", in order. */
  originalUrls: string[];
}

/**
 * Removes prompts, "Original URL:" lines and related-story headlines from an extracted body,
 * and reports the syndication facts it found in them.
 */
export function removeBodyNoise(content: Element): BodyNoise {
  const originalUrls: string[] = [];
  removeLinkLists(content);
  const blocks = Array.from(content.querySelectorAll(LINE_BLOCKS));
  for (const block of blocks) {
    if (!content.contains(block)) continue;
    // A block longer than a line holds lines (visited on their own), and is never one: a wrapper
    // whose text happens to start with "Original URL:" is not removed with the story in it.
    const text = shortTextOf(block, MAX_LINE_TEXT);
    if (!text) continue;
    const original = /^original url\s*:\s*(\S+)/i.exec(text);
    if (original?.[1]) {
      const link = block.querySelector("a[href]")?.getAttribute("href");
      originalUrls.push(link && /^https?:/i.test(link) ? link : original[1]);
      block.remove();
      continue;
    }
    if (isNoiseLine(text) || isRelatedHeadline(block, text)) block.remove();
  }
  return { originalUrls };
}

/**
 * A related-story headline dropped between paragraphs: a short block that is all link, without
 * the closing punctuation of a sentence.
 */
function isRelatedHeadline(block: Element, text: string): boolean {
  const tag = block.tagName.toUpperCase();
  if (tag === "A" || tag === "SPAN" || tag === "STRONG" || tag === "LI") return false;
  if (spacedWordsUpTo(text, 24) > 24 || /[.!?:;]["”’)]?$/.test(text)) return false;
  return linkedTextLength(block) >= text.length * 0.9;
}

const DATE_WORDS =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|updated|published|posted|modified|last|first|on|at|am|pm|a\.m\.|p\.m\.|[a-z]{1,4}t|utc|gmt|ago|hours?|minutes?|mins?|days?)\b/gi;

const DATE_WORD = new RegExp(DATE_WORDS.source, "i");

/** A line that only states when the story was published or updated. */
export function isDateline(text: string): boolean {
  if (text.length > 100 || !/\p{Nd}/u.test(text)) return false;
  const rest = text
    .replace(DATE_WORDS, " ")
    .replace(/[\d\s,.:|/•·()+-]+/g, " ")
    .trim();
  return rest.split(/\s+/).filter(Boolean).length <= 1 && DATE_WORD.test(text);
}

const DEK_HINT =
  /dek|standfirst|sub-?title|subhead|summary|intro|description|strap|teaser|lead|vorspann|chapo|chapeau|entradilla|sommario|excerpt/i;

export interface HeaderFacts {
  title: string | null;
  standfirst: string | null;
  byline: string | null;
  section: string | null;
}

/**
 * The article header printed again inside the body container: kicker, headline, dek, byline and
 * datelines. They are record fields, not story paragraphs.
 */
export function removeHeaderEchoes(content: Element, facts: HeaderFacts): void {
  const known = new Set(
    [facts.title, facts.byline, facts.section].filter((v): v is string => !!v).map((v) => v.toLowerCase()),
  );
  const standfirst = facts.standfirst?.toLowerCase() ?? null;
  for (const block of Array.from(content.querySelectorAll(LINE_BLOCKS))) {
    if (!content.contains(block) || block.querySelector("p, div, img, figure")) continue;
    const text = inlineText(block);
    if (!text) continue;
    const lower = text.toLowerCase();
    const printedByline =
      /^(?:by|von|par|por|di|door|بقلم)\s*:?\s+\S/i.test(text) &&
      spacedWordsUpTo(text, 20) <= 20 &&
      !/[.!?]["”’]?$/.test(text);
    // A dek equal to the first paragraph is common (the summary is the lede): only a block marked
    // as a dek, or a heading, is the header's copy.
    const dekEcho =
      lower === standfirst && (DEK_HINT.test(block.className || "") || /^H\d$/i.test(block.tagName));
    if (known.has(lower) || dekEcho || printedByline || isDateline(text))
      removeWithEmptyWrappers(block, content);
  }
}

/** Removes a block, and the wrappers around it that hold nothing else. */
export function removeWithEmptyWrappers(block: Element, root: Element): void {
  let target = block;
  const text = inlineText(block);
  while (target.parentElement && target.parentElement !== root && inlineText(target.parentElement) === text) {
    target = target.parentElement;
  }
  target.remove();
}

/**
 * Menus and "more stories" lists that the body extractor swept in: three or more items, nearly
 * all link text, a few words each.
 */
function removeLinkLists(content: Element): void {
  for (const list of Array.from(content.querySelectorAll("ul, ol"))) {
    if (!content.contains(list)) continue;
    const items = Array.from(list.children).filter((child) => child.tagName.toUpperCase() === "LI");
    if (items.length < 3) continue;
    const text = inlineText(list);
    if (!text) continue;
    const linked = linkedTextLength(list);
    const wordsPerItem = text.split(" ").length / items.length;
    if (linked >= text.length * 0.8 && wordsPerItem <= 12) list.remove();
  }
}
