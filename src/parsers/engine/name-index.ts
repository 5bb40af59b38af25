/**
 * Elements found by what their class, id or data-testid says they are, in one walk of the tree.
 * Case-insensitive attribute selectors ([class*=byline i]) cost jsdom a full tree match each; a
 * single walk with regular expressions costs the same on every DOM and is read by several stages.
 */
const KINDS = {
  byline: /byline/i,
  author: /author-name|article-author|article__author|autor/i,
  dek: /standfirst|\bdek\b|[-_]dek\b|subheadline/i,
  paywall: /paywall|regwall|subscribe-wall|piano-offer|meter-wall/i,
} as const;

export type NameKind = keyof typeof KINDS;
export type NameIndex = Record<NameKind, Element[]>;

/** At most this many elements of one kind are kept: the first ones in document order. */
const PER_KIND = 20;

export function indexByName(root: Element | null): NameIndex {
  const index: NameIndex = { byline: [], author: [], dek: [], paywall: [] };
  if (!root) return index;
  const kinds = Object.entries(KINDS) as [NameKind, RegExp][];
  const walk = (element: Element) => {
    // Each name on its own, not joined: no pattern spans the space that would join them.
    const className = element.getAttribute("class");
    const id = element.getAttribute("id");
    const testId = element.getAttribute("data-testid");
    if (className || id || testId) {
      for (const [kind, pattern] of kinds) {
        if (index[kind].length >= PER_KIND) continue;
        if (
          (className && pattern.test(className)) ||
          (id && pattern.test(id)) ||
          (testId && pattern.test(testId))
        )
          index[kind].push(element);
      }
    }
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) walk(child);
  };
  walk(root);
  return index;
}
