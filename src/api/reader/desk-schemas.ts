import { z } from "zod";
import { ProvenanceRoleSchema, REVISION_FIELDS } from "../../domain/article.js";
import { articleFilters } from "../schemas.js";

/**
 * The shapes of the reader page's own reads (/reader/*.json). They are what the page draws and may
 * change with it, so they stay out of the API document; the public API has the full records.
 */
export const DeskQuerySchema = z.strictObject({
  site: articleFilters.site,
  language: articleFilters.language,
  q: articleFilters.q,
});
export type DeskQuery = z.infer<typeof DeskQuerySchema>;

export const DeskOriginSchema = z.object({
  role: ProvenanceRoleSchema,
  name: z.string().nullable(),
  url: z.string().nullable(),
  site: z.string().nullable(),
});

export const DeskStorySchema = z.object({
  storyId: z.string(),
  title: z.string().nullable(),
  standfirst: z.string().nullable(),
  /** The copy the story's metadata comes from. */
  articleId: z.string(),
  url: z.string(),
  publisher: z.string().nullable(),
  site: z.string(),
  language: z.string().nullable(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
  /** Stored copies, and copies a provenance chain names that we have not stored. */
  copies: z.number().int().nonnegative(),
  namedCopies: z.number().int().nonnegative(),
  copySites: z.array(z.string()),
  /** The first entry of the provenance chain: who the records say published it first. */
  origin: DeskOriginSchema.nullable(),
  /** Stored copies whose body is a paywall teaser (`paywall.truncated`). */
  truncatedCopies: z.number().int().nonnegative(),
});
export type DeskStory = z.infer<typeof DeskStorySchema>;

export const DeskListSchema = z.object({
  stories: z.array(DeskStorySchema),
  /** Every site and language among the listed stories' copies, for the filter suggestions. */
  sites: z.array(z.string()),
  languages: z.array(z.string()),
});
export type DeskList = z.infer<typeof DeskListSchema>;

export const DiffSegmentSchema = z.object({
  op: z.enum(["equal", "delete", "insert"]),
  text: z.string(),
});

export const FieldChangeSchema = z.object({
  field: z.enum(REVISION_FIELDS),
  segments: z.array(DiffSegmentSchema),
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;

export const RevisionChangesSchema = z.object({
  revision: z.number().int().positive(),
  recordedAt: z.string(),
  changedFields: z.array(z.enum(REVISION_FIELDS)),
  /** What changed from the revision before, field by field; empty for the first revision. */
  changes: z.array(FieldChangeSchema),
});
export type RevisionChanges = z.infer<typeof RevisionChangesSchema>;

export const ChangeListSchema = z.object({
  articleId: z.string(),
  revisions: z.array(RevisionChangesSchema),
});
export type ChangeList = z.infer<typeof ChangeListSchema>;
