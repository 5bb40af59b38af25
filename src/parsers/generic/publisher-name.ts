import { isSiteName, type SiteNames, squashName } from "./site-names.js";

/**
 * The site's name as its readers see it, from the names the page declares. og:site_name is
 * sometimes a handle ("@politifact"), a tagline, a section or a URL, and the JSON-LD publisher is
 * sometimes the wire or the blogging platform ("Associated Press", "Blogger"): every candidate is
 * judged against the host, the one that names it most closely wins, the declared order breaks ties.
 */

export interface PublisherCandidates {
  /** In order of trust: og:site_name, JSON-LD publisher, JSON-LD WebSite/Organization names, … */
  declared: (string | null | undefined)[];
  /** Names read off the page itself (the title's affix, the logo's alt text), judged the same way. */
  shown: (string | null | undefined)[];
  /** Handles (twitter:site): never the name, but they show its capitals ("@PolitiFact"). */
  handles: (string | null | undefined)[];
  names: SiteNames;
}

/** A company's legal form is not part of the name its readers know ("comwrap GmbH"). */
const LEGAL_FORM = /,?\s+(?:gmbh|ag|inc\.?|ltd\.?|llc|plc|s\.?a\.?|s\.?r\.?l\.?|corp\.?|co\.|limited)$/i;

/** A name with a tagline or a list of topics after it keeps the part that names the site. */
function namePart(value: string, names: SiteNames): string {
  const parts = value.split(/\s+[|\-–—·:]\s+|\s*[|·]\s*/).filter((part) => part.trim());
  if (parts.length < 2) return value;
  return parts.find((part) => isSiteName(part, names)) ?? parts[0] ?? value;
}

function tidy(value: string | null | undefined, names: SiteNames): string | null {
  const text = value
    ?.replace(/\s+/g, " ")
    .trim()
    .replace(/^www\./i, "");
  if (!text || text.length > 80 || /^https?:/i.test(text)) return null;
  const name = namePart(text, names)
    .replace(/\s+logo$|^logo\s+/i, "")
    .replace(LEGAL_FORM, "")
    .trim();
  return name || null;
}

/**
 * Whether the name names this site: a declared name or the host's (as `isSiteName`), or one that
 * shares the host's first letters at length ("The Beachbody Blog" on beachbodyondemand.com).
 */
function namesThisSite(name: string, names: SiteNames): boolean {
  if (isSiteName(name, { declared: [], hostLabels: names.hostLabels })) return true;
  const key = bareKey(name);
  return names.hostLabels.some((label) => {
    const host = label.replace(/^the/, "");
    let common = 0;
    while (common < key.length && key[common] === host[common]) common++;
    return common >= 6 || (common >= 4 && common * 2 >= host.length);
  });
}

/** The squashed name without a leading "the", spaced or not ("TheHill.com" and "The Hill" are one). */
function bareKey(name: string): string {
  return squashName(name).replace(/^the/, "");
}

/**
 * What a reader sees of a spelling: spaces, capitals and apostrophes count for it ("Barron's" over
 * "Barrons", "The Hill" over "TheHill.com"), a domain suffix against it.
 */
function displayWeight(name: string): number {
  const marks = (name.match(/[\s'’&\p{Lu}-]/gu) ?? []).length;
  return marks - (/\.[a-z]{2,4}$/i.test(name) ? 1 : 0);
}

/** A logo's alt text that is a file name or a slug ("ascom-image-Logo") says nothing. */
function isSlug(name: string): boolean {
  return !/\s/.test(name) && /[a-z][-_][a-z]/i.test(name);
}

export function choosePublisherName({ declared, shown, handles, names }: PublisherCandidates): string | null {
  const candidates: { name: string; rank: number; order: number; isDeclared: boolean }[] = [];
  const push = (value: string | null | undefined, isDeclared: boolean) => {
    const name = tidy(value, names)?.replace(/^@/, "");
    if (!name || (!isDeclared && isSlug(name))) return;
    const rank = namesThisSite(name, names) ? 1 : 0;
    candidates.push({ name, rank, order: candidates.length, isDeclared });
  };
  for (const value of declared) push(value, true);
  for (const value of shown) push(value, false);
  // Without a host to judge by, only a declared name is taken: a title's affix may be a section.
  let first = candidates.find((c) => c.rank === 1) ?? candidates.find((c) => c.isDeclared);
  if (!first) return null;
  // og:site_name is often the brand with an edition or a kind after it ("RT International",
  // "Slate Magazine") where the JSON-LD publisher gives the brand alone.
  const chosen = first;
  const brand = candidates.find(
    (c) =>
      c.isDeclared &&
      c.rank >= chosen.rank &&
      chosen.name.toLowerCase().startsWith(`${c.name.toLowerCase()} `),
  );
  if (brand) first = brand;
  // The same name spelt several ways: the form shown to readers, its capitals and punctuation kept.
  const key = bareKey(first.name);
  const spellings = candidates.filter((c) => bareKey(c.name) === key);
  spellings.sort((a, b) => displayWeight(b.name) - displayWeight(a.name) || a.order - b.order);
  const display = spellings[0]?.name ?? first.name;
  return recase(display, [...candidates.map((c) => c.name), ...handles.filter((h): h is string => !!h)]);
}

/** A lower-case handle takes the capitals of a longer candidate that starts with it ("PolitiFact West Virginia"). */
function recase(name: string, others: string[]): string {
  if (name !== name.toLowerCase()) return name;
  for (const raw of others) {
    const other = raw.replace(/^@/, "");
    if (other.toLowerCase().startsWith(name) && other !== name) {
      const prefix = other.slice(0, name.length);
      if (/^[\p{L}\p{N}]+$/u.test(prefix)) return prefix;
    }
  }
  return name;
}
