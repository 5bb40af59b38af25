import type { ArticleRecord, MissableField } from "./article.js";
import { sha256Hex } from "./url.js";

/**
 * The record's constants and the functions that fill its computed fields, apart from its zod schema
 * (article.ts, which re-exports them): the extractor needs these on every page, and loading zod
 * for them cost each extraction thread about 3 MiB of heap and 12 MiB of RSS.
 */

export const EXTRACTOR_NAME = "copydesk";
export const EXTRACTOR_VERSION = "0.1.0";

export const MISSABLE_FIELDS = [
  "title",
  "standfirst",
  "byline",
  "authors",
  "publishedAt",
  "modifiedAt",
  "publisher",
  "section",
  "tags",
  "language",
  "body",
  "images",
] as const;

/** The fields whose change makes a new revision of an article (what `contentHash` covers). */
export const REVISION_FIELDS = [
  "title",
  "standfirst",
  "authors",
  "publishedAt",
  "modifiedAt",
  "body",
] as const satisfies readonly (keyof ArticleRecord)[];

/** sha256 over the fields whose change makes a new revision (the body by its text). */
export function contentHashOf(record: Pick<ArticleRecord, (typeof REVISION_FIELDS)[number]>): string {
  const covered: Record<string, unknown> = {};
  for (const field of REVISION_FIELDS) covered[field] = field === "body" ? record.body.text : record[field];
  return sha256Hex(JSON.stringify(covered));
}

/** The fields of MISSABLE_FIELDS a record has no value for, in that order. */
export function missingFields(record: Omit<ArticleRecord, "missing" | "contentHash">): MissableField[] {
  return MISSABLE_FIELDS.filter((field) => {
    const value = field === "body" ? record.body.text : record[field];
    return value === null || value === "" || (Array.isArray(value) && value.length === 0);
  });
}
