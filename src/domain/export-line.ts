import { z } from "zod";
import { ArticleRecordSchema } from "./article.js";

/**
 * One line of `copydesk export` (NDJSON): the current record of an article with the store's ids
 * and revision around it, so a consumer can key, order and de-duplicate lines without deriving
 * anything from the record. `docs/export-line.schema.json` is generated from this schema.
 *
 * The line shape is versioned in the schema's `$id` (…/export-line.v1.schema.json): any change to
 * it (a field added, renamed, removed or retyped) is a new version and a new `$id`, since the
 * schema admits no other properties.
 */
export const EXPORT_LINE_VERSION = 1;

export const EXPORT_LINE_SCHEMA_ID = `https://copydesk.dev/schemas/export-line.v${EXPORT_LINE_VERSION}.schema.json`;

/** The `$id` of docs/article.schema.json (see articleJsonSchema), which `record` refers to. */
const ARTICLE_SCHEMA_ID = "https://copydesk.dev/schemas/article.schema.json";

const envelope = {
  articleId: z.string().describe("The article's id in the store (the record's `id`)."),
  storyId: z.string().describe("The story the article belongs to; GET /v1/stories/{storyId}."),
  revision: z
    .number()
    .int()
    .positive()
    .describe("The article's current revision; 1 for a new article, higher after each change."),
  updatedAt: z.iso
    .datetime({ offset: false })
    .describe("When the article last changed in the store (ISO-8601 UTC); what --since compares."),
};

export const ExportLineSchema = z.object({
  ...envelope,
  record: ArticleRecordSchema.describe("The current ArticleRecord (docs/article.schema.json)."),
});

export type ExportLine = z.infer<typeof ExportLineSchema>;

/**
 * The JSON Schema of a line. The record is a `$ref` to the article schema's `$id` rather than a
 * copy of it, so the two documents cannot drift apart.
 */
export function exportLineJsonSchema(): Record<string, unknown> {
  const shape = z.object({ ...envelope, record: z.object({}) });
  const schema = z.toJSONSchema(shape, { target: "draft-2020-12" }) as Record<string, unknown> & {
    properties: Record<string, unknown>;
  };
  return {
    $id: EXPORT_LINE_SCHEMA_ID,
    title: "ExportLine",
    description:
      `One line of \`copydesk export\` (NDJSON, one JSON object per line), line shape version ${EXPORT_LINE_VERSION}. ` +
      "Lines come oldest change first, by (updatedAt, articleId).",
    ...schema,
    properties: {
      ...schema.properties,
      record: { $ref: ARTICLE_SCHEMA_ID, description: "The current ArticleRecord." },
    },
  };
}
