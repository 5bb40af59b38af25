import { z } from "zod";
import { MISSABLE_FIELDS } from "./article-fields.js";

export {
  contentHashOf,
  EXTRACTOR_NAME,
  EXTRACTOR_VERSION,
  MISSABLE_FIELDS,
  missingFields,
  REVISION_FIELDS,
} from "./article-fields.js";

/**
 * The canonical article record: what every stage after extraction speaks, what the store keeps and
 * what the API returns. `docs/article.schema.json` is generated from this schema (`npm run schema`).
 */

const isoDateTime = z.iso.datetime({ offset: false });

export const ArticleImageSchema = z.object({
  url: z.string().describe("Absolute URL of the image."),
  caption: z.string().nullable(),
  credit: z.string().nullable().describe("Photographer or agency, e.g. 'Dow Jones' or 'AFP'."),
  alt: z.string().nullable(),
  isLead: z.boolean().describe("True for the story's main image."),
});

export const ProvenanceRoleSchema = z.enum(["origin", "syndicator", "aggregator"]);

export const ProvenanceSchema = z.object({
  role: ProvenanceRoleSchema,
  name: z.string().nullable().describe("Publisher name, e.g. 'The Wall Street Journal'."),
  url: z.string().nullable().describe("URL of this publisher's copy, when known."),
  evidence: z
    .array(z.string())
    .describe(
      "How the link was found: 'original-url-line', 'canonical', 'og:url', 'json-ld', 'credit-line'…",
    ),
});

export const PaywallSchema = z.object({
  accessibleForFree: z
    .boolean()
    .nullable()
    .describe("What the page declares (JSON-LD isAccessibleForFree); null when it says nothing."),
  truncated: z
    .boolean()
    .describe("True when the body we got is a paywall teaser: the record is flagged, never circumvented."),
});

export const MissableFieldSchema = z.enum(MISSABLE_FIELDS);

export const ArticleRecordSchema = z.object({
  id: z.string().describe("Stable id derived from the canonical URL."),
  url: z.string().describe("Canonical URL of this copy of the story."),
  requestedUrl: z.string(),
  finalUrl: z.string().describe("URL after redirects."),
  title: z.string().nullable(),
  standfirst: z.string().nullable().describe("Dek, summary or description."),
  byline: z.string().nullable().describe("The byline as printed."),
  authors: z.array(z.string()).describe("Clean person names: no 'By', no job titles, no handles."),
  publishedAt: isoDateTime.nullable(),
  publishedAtRaw: z.string().nullable(),
  modifiedAt: isoDateTime.nullable(),
  modifiedAtRaw: z.string().nullable(),
  publisher: z.string().nullable().describe("Site name of this copy."),
  section: z.string().nullable(),
  tags: z.array(z.string()),
  language: z.string().nullable().describe("BCP 47 tag, e.g. 'en' or 'en-AU'."),
  direction: z.enum(["ltr", "rtl"]).nullable().describe("Text direction of the body."),
  body: z.object({
    html: z.string().describe("Sanitised HTML: no script, no event handlers, no javascript: URLs."),
    text: z.string().describe("Plain text, paragraphs separated by blank lines."),
  }),
  wordCount: z.number().int().nonnegative(),
  images: z.array(ArticleImageSchema),
  provenance: z.array(ProvenanceSchema).describe("Origin → syndicator → aggregator, in that order."),
  paywall: PaywallSchema,
  contentHash: z.string().describe("sha256 of the fields whose change makes a new revision."),
  extractor: z.object({
    name: z.string(),
    version: z.string(),
    rule: z.string().nullable().describe("Site rule (host@version) that matched, or null for generic."),
  }),
  fetchedAt: isoDateTime,
  extractedAt: isoDateTime,
  missing: z.array(MissableFieldSchema).describe("Fields that could not be found on the page."),
  warnings: z.array(z.string()).describe("Why the record is partial, e.g. 'not an article: no body text'."),
});

export type ArticleRecord = z.infer<typeof ArticleRecordSchema>;
export type ArticleImage = z.infer<typeof ArticleImageSchema>;
export type Provenance = z.infer<typeof ProvenanceSchema>;
export type ProvenanceRole = z.infer<typeof ProvenanceRoleSchema>;
export type MissableField = z.infer<typeof MissableFieldSchema>;

export function articleJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ArticleRecordSchema, { target: "draft-2020-12" }) as Record<string, unknown>;
  return {
    $id: "https://copydesk.dev/schemas/article.schema.json",
    title: "ArticleRecord",
    description: "One canonical copy of a news story, as copydesk stores and serves it.",
    ...schema,
  };
}
