import { z } from "zod";
import { ArticleRecordSchema, ProvenanceRoleSchema, REVISION_FIELDS } from "../domain/article.js";
import { ERROR_CODES, type ErrorCode } from "../domain/errors.js";

/**
 * Every request and response shape of the HTTP API. Routes validate with these and the OpenAPI
 * document at /docs is generated from them, so the two cannot drift apart.
 *
 * Schemas given an `id` through `.meta()` become named components of the OpenAPI document. `.meta()`
 * returns a copy, so registering `ArticleRecord` here leaves `articleJsonSchema()` untouched: the
 * component and docs/article.schema.json come from the one domain schema.
 */
export const ArticleRecordComponent = ArticleRecordSchema.meta({ id: "ArticleRecord" });

const instant = z.iso.datetime({ offset: false }).describe("ISO-8601 instant, UTC.");

/** Query instants may carry an offset or be a bare date; the store compares UTC strings. */
const sinceParam = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((value) => new Date(value).toISOString())
  .describe("Only articles changed at or after this instant (ISO-8601 date or date-time).");

const idParam = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, "ids are letters, digits, '_' and '-'");

/** The filters shared by the article list and the feeds. */
export const articleFilters = {
  site: z.string().min(1).max(253).optional().describe("Host without 'www.', e.g. 'wsj.com'."),
  story: idParam.optional().describe("Only articles of this story."),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "a BCP 47 tag such as 'en' or 'en-AU'")
    .optional()
    .describe("BCP 47 tag; 'en' also matches 'en-AU'."),
  paywalled: z
    .stringbool()
    .optional()
    .describe("true: paywall teasers and declared paywalls only; false: the others."),
  q: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "Full-text search: words (any order, all must match) in the title, standfirst or body; case-insensitive " +
        "and stemmed (by the article's language on PostgreSQL, English Porter rules on SQLite). Quotes and " +
        "operators are plain separators. The list returns best match first (title above standfirst above body) " +
        "with its own cursor; feeds keep newest change first among the matches.",
    ),
};

export const MAX_PAGE_SIZE = 500;

export const ListArticlesQuerySchema = z.strictObject({
  since: sinceParam.optional(),
  cursor: z
    .string()
    .min(1)
    .max(1024)
    .optional()
    .describe("`nextCursor` of the previous page; keep the other parameters unchanged."),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  ...articleFilters,
});
export type ListArticlesParams = z.infer<typeof ListArticlesQuerySchema>;

export const MAX_FEED_ITEMS = 100;

export const FeedQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_FEED_ITEMS).default(30),
  ...articleFilters,
});
export type FeedParams = z.infer<typeof FeedQuerySchema>;

export const ArticleParamsSchema = z.strictObject({ id: idParam.describe("Article id, e.g. art_…") });
export const StoryParamsSchema = z.strictObject({ id: idParam.describe("Story id.") });
export const JobParamsSchema = z.strictObject({ id: z.string().min(1).max(200).describe("Job id.") });

export const LookupQuerySchema = z.strictObject({
  url: z
    .string()
    .min(1)
    .max(4096)
    .describe("Any URL of the story: canonical, requested, final or syndicated."),
});

export const StoredArticleSchema = z
  .object({
    articleId: z.string(),
    storyId: z.string(),
    revision: z.number().int().positive().describe("Current revision number; 1 for a new article."),
    firstSeenAt: instant,
    lastSeenAt: instant,
    updatedAt: instant.describe("When this article last changed in the store; what `since` compares."),
    record: ArticleRecordComponent,
  })
  .meta({ id: "StoredArticle", description: "An article record and what the store knows about it." });

export const ArticlePageSchema = z
  .object({
    items: z.array(StoredArticleSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe("Pass as `cursor` for the next page; null when there is nothing more for now."),
    endCursor: z
      .string()
      .nullable()
      .describe(
        "The position after this page (the request's cursor when the page is empty): keep it to ask later " +
          "for what changed since, even when `nextCursor` is null.",
      ),
  })
  .meta({
    id: "ArticlePage",
    description: "Articles ordered by (updatedAt, articleId), oldest change first.",
  });

export const RevisionSchema = z
  .object({
    articleId: z.string(),
    revision: z.number().int().positive(),
    contentHash: z.string(),
    changedFields: z
      .array(z.enum(REVISION_FIELDS))
      .describe("Fields that differ from the previous revision."),
    recordedAt: instant,
    record: ArticleRecordComponent,
  })
  .meta({ id: "Revision" });

export const RevisionListSchema = z.object({
  articleId: z.string(),
  items: z.array(RevisionSchema).describe("Oldest first."),
});

export const StorySourceSchema = z
  .object({
    articleId: z.string().nullable().describe("Null for a copy that is only named, not stored."),
    url: z.string(),
    site: z.string(),
    role: ProvenanceRoleSchema,
    name: z.string().nullable(),
    evidence: z.array(z.string()),
    link: z.enum(["founder", "provenance", "near-duplicate"]).nullable(),
    similarity: z.number().nullable(),
  })
  .meta({ id: "StorySource" });

export const StorySchema = z
  .object({
    storyId: z.string(),
    metadataFrom: z.string().describe("Article id the metadata comes from (the origin when stored)."),
    bodyFrom: z.string().describe("Article id with the most complete body."),
    title: z.string().nullable(),
    standfirst: z.string().nullable(),
    byline: z.string().nullable(),
    authors: z.array(z.string()),
    publishedAt: z.string().nullable(),
    modifiedAt: z.string().nullable(),
    publisher: z.string().nullable(),
    section: z.string().nullable(),
    language: z.string().nullable(),
    body: z.object({ html: z.string(), text: z.string() }),
    wordCount: z.number().int().nonnegative(),
    sources: z.array(StorySourceSchema).describe("Every copy: origin, syndicators, aggregators."),
    origin: z
      .object({ name: z.string().nullable(), url: z.string().nullable() })
      .nullable()
      .describe(
        "Who first published the story: the origin copy, else the wire or partner its copies credit by name (url null).",
      ),
    updatedAt: instant,
  })
  .meta({ id: "Story", description: "One story published at several places, seen through its best parts." });

export const LookupResultSchema = z.object({ article: StoredArticleSchema, story: StorySchema });

export const RefetchBodySchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(4096)
    .describe("Absolute http(s) URL to fetch again."),
  force: z
    .boolean()
    .default(false)
    .describe("Re-fetch and re-extract even when the page says it has not changed."),
});

export const RefetchAcceptedSchema = z.object({
  jobId: z.string(),
  url: z.string().describe("The canonical form of the URL that was queued."),
  statusUrl: z.string().describe("Poll this for the job's state and result."),
  deduplicated: z.boolean().describe("True when this URL was already queued: the existing job is returned."),
});

export const JOB_STATES = [
  "waiting",
  "delayed",
  "prioritized",
  "waiting-children",
  "active",
  "completed",
  "failed",
  "unknown",
] as const;

export const JobSchema = z
  .object({
    jobId: z.string(),
    state: z.enum(JOB_STATES),
    result: z
      .object({
        url: z.string(),
        outcome: z.string().describe("created, revised, unchanged or not-modified."),
        articleId: z.string().nullable(),
        storyId: z.string().nullable(),
        revision: z.number().int().nullable(),
      })
      .nullable()
      .describe("Set once the job has completed."),
    failedReason: z.string().nullable().describe("Set once the job has failed for good."),
  })
  .meta({ id: "Job" });

export const ErrorBodySchema = z
  .object({
    statusCode: z.number().int(),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    action: z
      .enum(["retry", "skip", "stop"])
      .describe("retry (later), skip (this request will never work), stop."),
    retryAfterMs: z.number().int().nonnegative().optional(),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("Which parts of the request were invalid."),
  })
  .meta({ id: "Error", description: "Every 4xx and 5xx response has this body." });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Error responses a route documents, keyed by status, all with the one error body. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorBodySchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBodySchema]));
}

export const HealthSchema = z.object({ status: z.literal("ok") });

export const ReadinessSchema = z.object({
  status: z.enum(["ready", "unready"]),
  checks: z.record(
    z.string(),
    z.object({
      status: z.enum(["ok", "failed", "skipped"]),
      detail: z.string().optional(),
    }),
  ),
});

export const JsonFeedItemSchema = z.object({
  id: z.string().describe("The article's canonical URL: stable across revisions."),
  url: z.string(),
  title: z.string().optional(),
  summary: z.string().optional(),
  content_html: z.string(),
  content_text: z.string(),
  image: z.string().optional(),
  date_published: z.string().optional(),
  date_modified: z.string().describe("When our copy last changed."),
  authors: z.array(z.object({ name: z.string() })).optional(),
  tags: z.array(z.string()).optional(),
  language: z.string().optional(),
  _copydesk: z
    .object({
      about: z.string(),
      article_id: z.string(),
      story_id: z.string(),
      revision: z.number().int(),
      api_url: z.string(),
      publisher: z.string().nullable(),
      paywalled: z.boolean(),
    })
    .describe("JSON Feed extension: where the item lives in the API."),
});

export const JsonFeedSchema = z
  .object({
    version: z.literal("https://jsonfeed.org/version/1.1"),
    title: z.string(),
    home_page_url: z.string(),
    feed_url: z.string(),
    description: z.string(),
    items: z.array(JsonFeedItemSchema),
  })
  .meta({ id: "JsonFeed", description: "JSON Feed 1.1 (https://jsonfeed.org/version/1.1)." });
export type JsonFeed = z.infer<typeof JsonFeedSchema>;
export type JsonFeedItem = z.infer<typeof JsonFeedItemSchema>;

/** A 200 response whose body is text of one media type (feeds, metrics): documented, sent as is. */
export function textResponse(mediaType: string, description: string) {
  return { description, content: { [mediaType]: { schema: z.string() } } };
}
