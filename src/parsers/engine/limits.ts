import { textRuns } from "./walk.js";

/**
 * Caps that keep extraction linear and bounded on any input. Each is several times what the
 * largest real page of our corpora needs (ScrapingHub dev and the Readability test pages: at most
 * ~1.6 MB of markup with its scripts, ~19,300 "<" (~10,000 elements), elements nested 51 deep),
 * so only a broken or hostile page reaches one; what a cap cuts is said in the record's warnings.
 */
export const MAX_MARKUP_CHARS = 4_000_000;
export const MAX_TAGS = 50_000;
export const MAX_DEPTH = 256;
/**
 * Lists in the record. The longest real ones in our corpora are far shorter (tens of tags, a few
 * hundred images on a gallery page); a page with 50,000 `<img>` or tag metas keeps the first ones.
 */
export const RECORD_LIST_LIMITS = { images: 1_000, tags: 200, authors: 50 } as const;

/** The first `limit` items, and a warning in `warnings` when the list was longer. */
export function capList<T>(name: string, items: T[], limit: number, warnings: string[]): T[] {
  if (items.length <= limit) return items;
  warnings.push(`${name} cut at ${limit} (the page had ${items.length})`);
  return items.slice(0, limit);
}

export interface LimitedMarkup {
  html: string;
  warnings: string[];
}

/** Cuts markup at a tag boundary when it is too long or holds too many tags. */
export function limitMarkup(html: string): LimitedMarkup {
  const warnings: string[] = [];
  let out = html;
  if (out.length > MAX_MARKUP_CHARS) {
    const cut = out.lastIndexOf("<", MAX_MARKUP_CHARS);
    out = out.slice(0, cut > 0 ? cut : MAX_MARKUP_CHARS);
    warnings.push(`page cut at ${MAX_MARKUP_CHARS} characters of markup (it had ${html.length})`);
  }
  let tags = 0;
  for (let at = out.indexOf("<"); at !== -1; at = out.indexOf("<", at + 1)) {
    if (++tags > MAX_TAGS) {
      out = out.slice(0, at);
      warnings.push(`page cut at ${MAX_TAGS} tags`);
      break;
    }
  }
  return { html: out, warnings };
}

/**
 * Elements nested deeper than `maxDepth` are replaced by their text, so no later tree walk (ours,
 * Readability's, the DOM's own) recurses as deep as the page likes. Walks without recursion.
 * Returns how many subtrees were flattened.
 */
export function flattenDeepMarkup(root: Element | null, maxDepth: number = MAX_DEPTH): number {
  if (!root) return 0;
  const deepest: Element[] = [];
  const stack: [Element, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [element, depth] = stack.pop() as [Element, number];
    if (depth === maxDepth) {
      if (element.firstElementChild) deepest.push(element);
      continue;
    }
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) {
      stack.push([child, depth + 1]);
    }
  }
  for (const element of deepest) element.textContent = [...textRuns(element)].join(" ");
  return deepest.length;
}
