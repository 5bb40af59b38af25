/**
 * What counts as a match between an extracted metadata field and Readability's expected-metadata.json.
 * The same rules apply to every extractor, so the shares can be set side by side.
 */

export const METADATA_FIELDS = ["title", "byline", "excerpt", "siteName", "publishedTime"] as const;
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
  if (field === "publishedTime") {
    const wantedInstant = parseInstant(wanted);
    const gotInstant = parseInstant(got);
    if (!Number.isNaN(wantedInstant) && !Number.isNaN(gotInstant)) return wantedInstant === gotInstant;
  }
  return wanted.toLowerCase() === got.toLowerCase();
}
