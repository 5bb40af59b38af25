/**
 * What counts as a match between an extracted metadata field and Readability's expected-metadata.json.
 * The same rules apply to every extractor, so the shares can be set side by side.
 */

export const METADATA_FIELDS = ["title", "byline", "excerpt", "siteName", "publishedTime", "lang"] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];
export type Metadata = Record<MetadataField, string | null>;

/** Whitespace runs collapsed to one space and trimmed; an empty result is null. */
export function collapseWhitespace(value: string | null | undefined): string | null {
  if (value == null) return null;
  const collapsed = value.replace(/\s+/gu, " ").trim();
  return collapsed === "" ? null : collapsed;
}

/** `collapseWhitespace`, lower-cased: the form in which texts are compared. */
export function normaliseText(value: string | null | undefined): string | null {
  return collapseWhitespace(value)?.toLowerCase() ?? null;
}

/**
 * Milliseconds since the epoch, or NaN. A date-time without a zone is read as UTC, so the result does
 * not depend on the machine's time zone (an extractor that stores UTC reads it the same way).
 */
export function parseInstant(value: string): number {
  const trimmed = value.trim();
  const zoneless = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/u.test(trimmed);
  return Date.parse(zoneless ? `${trimmed.replace(" ", "T")}Z` : trimmed);
}

/**
 * Texts match when equal after `normaliseText`; a null or empty expectation is met only by a null or
 * empty output. Times match when both parse and name the same instant, else as texts.
 */
export function fieldMatches(field: MetadataField, expected: string | null, actual: string | null): boolean {
  const wanted = collapseWhitespace(expected);
  const got = collapseWhitespace(actual);
  if (wanted === null || got === null) return wanted === got;
  // A language is its primary subtag: "en-US" and "en" name one language.
  if (field === "lang") return wanted.toLowerCase().split(/[-_]/)[0] === got.toLowerCase().split(/[-_]/)[0];
  if (field === "publishedTime") {
    const wantedInstant = parseInstant(wanted);
    const gotInstant = parseInstant(got);
    if (!Number.isNaN(wantedInstant) && !Number.isNaN(gotInstant)) return wantedInstant === gotInstant;
  }
  return wanted.toLowerCase() === got.toLowerCase();
}

/** Curly quotes, primes and dashes as their plain forms: the same headline typed two ways. */
function plainTypography(text: string): string {
  return text
    .replace(/[‘’‚‛′]/gu, "'")
    .replace(/[“”„‟″]/gu, '"')
    .replace(/[‐‑‒–—―]/gu, "-");
}

/** Separators between a title's headline and a site's name around it. */
const TITLE_SEPARATOR = /\s+[|\-–—·:»]\s+|\s*[|·»_]\s*|\s+\[|\]\s*$/u;

/**
 * The title with one outer part dropped, where the part kept is not the shorter: "Headline | Site"
 * and "Site - Headline" give "Headline", "Headline - Section - Site" gives "Headline - Section",
 * and the site's name alone is never the headline of "Long Headline | Site".
 */
function withoutOuterParts(title: string): string[] {
  const words = (text: string) => text.split(/\s+/u).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
  const out: string[] = [];
  const keep = (kept: string, dropped: string) => {
    if (kept.trim() && words(kept) >= words(dropped)) out.push(kept.trim());
  };
  const cuts = [...title.matchAll(new RegExp(TITLE_SEPARATOR.source, "gu"))];
  for (const cut of cuts) {
    if (cut.index === undefined) continue;
    const before = title.slice(0, cut.index);
    const after = title.slice(cut.index + cut[0].length);
    if (cut === cuts[0]) keep(after, before);
    if (cut === cuts[cuts.length - 1]) keep(before, after);
  }
  // "Headline - Section - Site": the last two parts are the site's, each no longer than the headline.
  const [section, site] = cuts.slice(-2);
  if (cuts.length >= 2 && section?.index !== undefined && site?.index !== undefined) {
    const dropped = [
      title.slice(section.index + section[0].length, site.index),
      title.slice(site.index + site[0].length),
    ];
    const longest = dropped.sort((a, b) => words(b) - words(a))[0] ?? "";
    keep(title.slice(0, section.index), longest);
  }
  return out;
}

/** A site's name with the differences that do not make another name: "The", a scheme or "www.", a domain ending, a company form, spacing. */
function bareSiteName(name: string): string {
  return name
    .toLowerCase()
    .replace(/^https?:\/\//u, "")
    .replace(/^www\./u, "")
    .replace(/^the\s+/u, "")
    .replace(/\.(?:com|net|org|co\.uk|fr|de|it|es)\/?$/u, "")
    .replace(/,?\s+(?:inc|ltd|llc|plc|gmbh|s\.?a)\.?$/u, "")
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * A match under the conventions of the hand-made labels (scrapinghub-dev/metadata.json), which
 * Readability's own expectations do not follow: a title is the headline without the site's name
 * around it and with the page's own characters, so one that equals the expected title with an
 * outer part removed, or with other quote and dash characters, is the same headline; a site's
 * name is the same name without "The", a domain ending or a company form. Every other field
 * compares as `fieldMatches` does.
 */
export function fieldMatchesAsLabelled(
  field: MetadataField,
  expected: string | null,
  actual: string | null,
): boolean {
  if (fieldMatches(field, expected, actual)) return true;
  const wanted = collapseWhitespace(expected);
  const got = collapseWhitespace(actual);
  if (wanted === null || got === null) return false;
  if (field === "title") {
    const same = (a: string, b: string) =>
      plainTypography(a).toLowerCase() === plainTypography(b).toLowerCase();
    return same(wanted, got) || withoutOuterParts(wanted).some((part) => same(part, got));
  }
  if (field === "siteName") {
    const bare = bareSiteName(wanted);
    return bare.length > 0 && bare === bareSiteName(got);
  }
  return false;
}
