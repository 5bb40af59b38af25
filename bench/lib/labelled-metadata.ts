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
] as const;
export type LabelledField = (typeof LABELLED_FIELDS)[number];

export interface Labels {
  title: string | null;
  authors: string[];
  published: string | null;
  modified: string | null;
  publisher: string | null;
  language: string | null;
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
}

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

/** Whether a value meets its label; null when the extractor does not report the field. */
export function labelMatches(field: LabelledField, labels: Labels, values: LabelledValues): boolean | null {
  switch (field) {
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
