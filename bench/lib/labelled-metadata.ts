import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CorpusMissingError } from "./corpus.js";
import { collapseWhitespace, normaliseText, parseInstant } from "./metadata-match.js";

/**
 * The hand-made metadata labels of the ScrapingHub dev pages (`scrapinghub-dev/metadata.json`, its
 * conventions inside the file) and the rules a value is judged by. The same rules serve every
 * extractor, so shares set side by side compare like with like.
 */

export const LABELLED_FIELDS = [
  "title",
  "authors",
  "published",
  "modified",
  "publisher",
  "language",
  "agency",
  "leadImageCaption",
] as const;
export type LabelledField = (typeof LABELLED_FIELDS)[number];

export interface Labels {
  title: string | null;
  authors: string[];
  published: string | null;
  modified: string | null;
  publisher: string | null;
  language: string | null;
  /** The wire or partner the page credits for the story; null when it credits none. */
  agency: string | null;
  /** The lead image's descriptive caption, credits removed; null when there is none (conventions). */
  leadImageCaption: string | null;
}

export interface LabelledPage {
  id: string;
  url: string;
  labels: Labels;
}

/** What an extractor gave for a page, in the labels' terms; null where it does not report the field. */
export interface LabelledValues {
  title: string | null;
  /** Person names, in order; null when the extractor gives only a byline string it does not split. */
  authors: string[] | null;
  /** The instant as the extractor reports it (ISO-8601), and the page's own string it came from. */
  published: { instant: string | null; raw: string | null } | null;
  modified: { instant: string | null; raw: string | null } | null;
  publisher: string | null;
  language: string | null;
  /**
   * The first entry of the provenance chain (its origin), and whether that entry is this page's own
   * copy (its URL is on the page's site); origin null when the record has no chain. Null when the
   * extractor reports no provenance at all.
   */
  agency: { origin: { name: string | null; isThisPage: boolean } | null } | null;
  /** The caption of the image the record marks as the lead (null: no lead, or no caption); null when not reported. */
  leadImageCaption: { caption: string | null } | null;
}

/** Whether two publisher names name one outlet ("AP" and "The Associated Press"). */
export type SameOutlet = (a: string, b: string) => boolean;

export function loadLabelledPages(corpusDir: string): LabelledPage[] {
  const path = join(corpusDir, "metadata.json");
  if (!existsSync(path)) throw new CorpusMissingError(`no metadata.json in ${corpusDir}`);
  const file = JSON.parse(readFileSync(path, "utf8")) as { pages?: Record<string, Record<string, unknown>> };
  const text = (value: unknown) => (typeof value === "string" ? value : null);
  return Object.keys(file.pages ?? {})
    .sort()
    .map((id) => {
      const page = file.pages?.[id] ?? {};
      return {
        id,
        url: text(page.url) ?? "",
        labels: {
          title: text(page.title),
          authors: Array.isArray(page.authors)
            ? page.authors.filter((a): a is string => typeof a === "string")
            : [],
          published: text(page.published),
          modified: text(page.modified),
          publisher: text(page.publisher),
          language: text(page.language),
          agency: text(page.agency),
          leadImageCaption: text(page.leadImageCaption),
        },
      };
    });
}

const ZONED = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A time label with a zone names an instant: the value must name the same one (to the second). A
 * label without a zone (the page gave none) or with a date only is met by the page's own string
 * starting with that local date-time, or, for a date, by an instant on that day.
 */
export function timeMatches(
  label: string | null,
  value: { instant: string | null; raw: string | null },
): boolean {
  if (label === null) return value.instant === null;
  if (value.instant === null) return false;
  if (ZONED.test(label)) {
    return Math.floor(parseInstant(label) / 1000) === Math.floor(parseInstant(value.instant) / 1000);
  }
  const raw = collapseWhitespace(value.raw)?.replace(" ", "T") ?? "";
  if (raw.startsWith(label)) return true;
  return DATE_ONLY.test(label) && value.instant.startsWith(label);
}

function listMatches(label: string[], value: string[]): boolean {
  return (
    label.length === value.length && label.every((name, i) => normaliseText(name) === normaliseText(value[i]))
  );
}

/** Names compared as texts, a leading "The" aside ("The Associated Press" / "Associated Press"). */
export function sameName(a: string, b: string): boolean {
  const bare = (name: string) => normaliseText(name)?.replace(/^the\s+/, "") ?? null;
  return bare(a) !== null && bare(a) === bare(b);
}

/**
 * Agency: on a page that credits one, the record's origin (first provenance entry) must be another
 * outlet than the page itself and name that agency (`sameOutlet` decides, e.g. through the
 * registry of known publishers). On a page that credits none, the record must not invent one: no
 * chain, or a chain whose origin is the page's own copy. A copy of another outlet's story that
 * the labels do not credit (a canonical to another site) is an invented origin here.
 */
export function agencyMatches(
  label: string | null,
  value: NonNullable<LabelledValues["agency"]>,
  sameOutlet: SameOutlet = sameName,
): boolean {
  const { origin } = value;
  if (label === null) return origin === null || origin.isThisPage;
  if (origin === null || origin.isThisPage || origin.name === null) return false;
  return sameName(label, origin.name) || sameOutlet(label, origin.name);
}

/**
 * Lead caption: the caption of the image the record marks as its lead (`isLead`), compared like
 * the other texts (white space collapsed, case ignored). A null label (no lead image, a video, a
 * credit only, a caption only in alt) is met only when the record gives no lead caption: a caption
 * found where the labeller saw none is a miss, as is a missing one. Credits stay out of the
 * comparison because the label removes them and the record keeps them in `credit`.
 */
export function captionMatches(label: string | null, value: NonNullable<LabelledValues["leadImageCaption"]>) {
  return normaliseText(label) === normaliseText(value.caption);
}

/** Whether a value meets its label; null when the extractor does not report the field. */
export function labelMatches(
  field: LabelledField,
  labels: Labels,
  values: LabelledValues,
  sameOutlet: SameOutlet = sameName,
): boolean | null {
  switch (field) {
    case "agency":
      return values.agency === null ? null : agencyMatches(labels.agency, values.agency, sameOutlet);
    case "leadImageCaption":
      return values.leadImageCaption === null
        ? null
        : captionMatches(labels.leadImageCaption, values.leadImageCaption);
    case "authors":
      return values.authors === null ? null : listMatches(labels.authors, values.authors);
    case "published":
    case "modified": {
      const value = values[field];
      return value === null ? null : timeMatches(labels[field], value);
    }
    case "language": {
      const primary = (tag: string | null) => normaliseText(tag)?.split(/[-_]/)[0] ?? null;
      return primary(labels.language) === primary(values.language);
    }
    default:
      return normaliseText(labels[field]) === normaliseText(values[field]);
  }
}

/**
 * Readability reports a byline string: read generously as names, its "By" dropped and split at
 * commas, "and" and "&", so it is not judged on a split it never claims to make.
 */
export function namesInByline(byline: string | null): string[] {
  const text = collapseWhitespace(byline)?.replace(/^by\s*:?\s+/i, "");
  if (!text) return [];
  return text
    .split(/\s*(?:,|&|\band\b)\s*/i)
    .map((name) => name.trim())
    .filter(Boolean);
}
