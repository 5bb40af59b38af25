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

/**
 * Whether the element's class or its id matches `pattern`, each tested on its own: no pattern of
 * ours spans the space that would join them, and joining them built a string per element.
 */
export function classOrIdMatches(element: Element, pattern: RegExp): boolean {
  const className = element.getAttribute("class");
  if (className && pattern.test(className)) return true;
  const id = element.getAttribute("id");
  return id !== null && id !== "" && pattern.test(id);
}

export function indexByName(root: Element | null): NameIndex {
  const index: NameIndex = { byline: [], author: [], dek: [], paywall: [] };
  if (!root) return index;
  const kinds = Object.entries(KINDS) as [NameKind, RegExp][];
  const walk = (element: Element) => {
    const testId = element.getAttribute("data-testid");
    if (element.getAttribute("class") || element.getAttribute("id") || testId) {
      for (const [kind, pattern] of kinds) {
        if (index[kind].length >= PER_KIND) continue;
        if (classOrIdMatches(element, pattern) || (testId && pattern.test(testId))) index[kind].push(element);
      }
    }
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) walk(child);
  };
  walk(root);
  return index;
}
