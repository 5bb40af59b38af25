/**
 * The names a site goes by (og:site_name, JSON-LD publisher, application-name, its handle, its
 * host), and the test of whether a piece of text is one of them. Titles carry the site's name as
 * an affix ("… | TheHill", "… - The GiveWell Blog"), bylines carry it instead of a person
 * ("LinkNaija"), and og:site_name is sometimes a handle or a section: all three are judged here
 * against every name the page gives, never against a list of known sites.
 */

/** Host labels that name no site: "www", "blog", country and generic second-level labels. */
const GENERIC_HOST_LABELS = new Set([
  "www",
  "m",
  "amp",
  "mobile",
  "blog",
  "blogs",
  "news",
  "en",
  "edition",
  "com",
  "co",
  "org",
  "net",
  "gov",
  "ac",
  "edu",
]);

export interface SiteNames {
  /** Names the page declares for its site, in the order they were given. */
  declared: string[];
  /** The host's distinctive labels ("thehill" for thehill.com, "givewell" for blog.givewell.org). */
  hostLabels: string[];
}

/** Lower case, accents and punctuation gone, a leading "the" and a trailing domain suffix dropped. */
export function squashName(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/\.(?:com|net|org|info|co|ca|de|fr|it|es|ru|in|au|uk|us|br|kr|jp|ng)(?:\.[a-z]{2})?\b/g, "")
    .replace(/^the\s+/, "")
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

export function hostLabelsOf(url: string | null | undefined): string[] {
  if (!url) return [];
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return [];
  }
  const labels = host.split(".");
  // The registrable part and the subdomains before it: "blog.givewell.org" → givewell;
  // "detroit.cbslocal.com" → cbslocal, detroit.
  const meaningful = labels
    .slice(0, -1)
    .filter((label) => label.length >= 2 && !GENERIC_HOST_LABELS.has(label));
  return meaningful.reverse().map((label) => label.replace(/[^a-z0-9]/g, ""));
}

export function siteNamesFrom(declared: (string | null | undefined)[], url?: string | null): SiteNames {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const value of declared) {
    const name = value?.replace(/^@/, "").replace(/\s+/g, " ").trim();
    if (!name || name.length > 80 || /^https?:/i.test(name)) continue;
    const key = squashName(name);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    names.push(name);
  }
  return { declared: names, hostLabels: hostLabelsOf(url) };
}

/** Whether `needle` can be read off `haystack` in order, first letters aligned ("latimes" in "losangelestimes"). */
function isAbbreviationOf(needle: string, haystack: string): boolean {
  if (!needle || needle[0] !== haystack[0]) return false;
  let at = 0;
  for (const char of haystack) if (char === needle[at]) at++;
  return at === needle.length;
}

/** Equal, or one a short extension of the other ("givewellblog" / "givewell"; not a headline starting with it). */
function sameName(a: string, b: string): boolean {
  if (!a || !b) return false;
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.length - short.length <= 16 && long.startsWith(short);
}

/**
 * True when the text names the site: it equals a declared name or the host (a domain suffix,
 * "the" and punctuation aside), one starts with the other ("The GiveWell Blog" / givewell), or
 * the host's label is an abbreviation of a short text ("Los Angeles Times" / latimes).
 */
export function isSiteName(text: string, names: SiteNames): boolean {
  const key = squashName(text);
  if (key.length < 2 || text.trim().split(/\s+/).length > 6) return false;
  if (names.declared.some((name) => sameName(key, squashName(name)))) return true;
  const words = text.trim().split(/\s+/).length;
  return names.hostLabels.some(
    (label) => sameName(key, label) || (words <= 4 && label.length >= 5 && isAbbreviationOf(label, key)),
  );
}

/** The separators a title joins its headline and the site's name with. */
const AFFIX_SEPARATOR = /\s+[|\-–—·»:]{1,2}\s+|\s*[|·»]\s*/;

/** Section labels that lead a title ("Opinion | …"). */
export const SECTION_PREFIX =
  /^(?:opinion|analysis|editorial|review|reviews|commentary|column|comment|news|breaking news|live|video|watch|podcast|explainer|interview|letters?|perspective|features?)$/i;

/**
 * A title without the site's name before or after it, and without a leading section label; a
 * headline that merely contains a separator keeps it (only a segment that names the site, or the
 * article's section, is cut, and never the last words of the title).
 */
export function stripSiteAffixes(title: string, names: SiteNames, section: string | null = null): string {
  let parts = splitAffixes(title);
  const isAffix = (segment: string) =>
    isSiteName(segment, names) || (section !== null && squashName(segment) === squashName(section));
  // Suffixes: "Headline | News | Al Jazeera" loses its site name, then a section label beside it;
  // a site name may itself hold a separator ("Remember 80/90 - Memorabilia anni 80/90").
  let cut = false;
  for (let guard = 0; guard < 6 && parts.length >= 3; guard++) {
    const segments = (parts.length - 1) / 2;
    let taken = 0;
    for (let k = Math.min(3, segments); k >= 1 && taken === 0; k--) {
      const suffix = parts.slice(parts.length - (2 * k - 1)).join("");
      if (isAffix(suffix) || (k === 1 && cut && SECTION_PREFIX.test(suffix.trim()))) taken = k;
    }
    if (taken === 0) break;
    parts = parts.slice(0, parts.length - 2 * taken);
    cut = true;
  }
  for (let guard = 0; guard < 6 && parts.length >= 3; guard++) {
    const head = parts[0] ?? "";
    // A colon joins a headline's own parts more often than a site name: only a site name goes.
    const colon = (parts[1] ?? "").includes(":");
    if (isAffix(head) || (!colon && SECTION_PREFIX.test(head.trim()))) parts = parts.slice(2);
    else break;
  }
  const result = parts.join("").trim();
  return result || title.trim();
}

/** "A | B - C" → ["A", " | ", "B", " - ", "C"]: segments at even places, separators between. */
function splitAffixes(title: string): string[] {
  const parts: string[] = [];
  let rest = title.trim();
  for (let guard = 0; guard < 12; guard++) {
    const match = AFFIX_SEPARATOR.exec(rest);
    if (!match || match.index === 0) break;
    parts.push(rest.slice(0, match.index), match[0]);
    rest = rest.slice(match.index + match[0].length);
  }
  parts.push(rest);
  return parts;
}
