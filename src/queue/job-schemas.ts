import { z } from "zod";
import { SourceSchema } from "../domain/source.js";

/**
 * Payloads of the two job kinds, validated when a job is added and again when a worker picks it up
 * (a job written by an older or newer process must fail loudly, not half-run).
 */
export const ArticleJobTriggerSchema = z.enum(["manual", "discovered"]);
export type ArticleJobTrigger = z.infer<typeof ArticleJobTriggerSchema>;

export const ArticleJobDataSchema = z.object({
  /** Canonical URL of the page to fetch. */
  url: z.string().url(),
  trigger: ArticleJobTriggerSchema,
  /** Skip the conditional GET: re-fetch and re-extract even when the page says it has not changed. */
  force: z.boolean().default(false),
  /** The source whose poll discovered the URL, when one did. */
  sourceId: z.string().optional(),
  /** ISO-8601 instant the job was enqueued, for enqueue-to-stored latency. */
  enqueuedAt: z.string(),
  /** Found on an aggregator listing page: the page is a copy whose "Original URL:" is followed. */
  fromListing: z.boolean().default(false),
  /** Set on the job for an original that an aggregator copy pointed at: the copy's URL. */
  viaAggregator: z.string().url().optional(),
});
export type ArticleJobData = z.infer<typeof ArticleJobDataSchema>;
export type ArticleJobInput = z.input<typeof ArticleJobDataSchema>;

export const ArticleJobOutcomeSchema = z.enum(["created", "revised", "unchanged", "not-modified"]);
export type ArticleJobOutcome = z.infer<typeof ArticleJobOutcomeSchema>;

export interface ArticleJobResult {
  url: string;
  outcome: ArticleJobOutcome;
  articleId: string | null;
  storyId: string | null;
  revision: number | null;
  /** Originals an aggregator copy pointed at, enqueued as their own jobs. */
  followed: string[];
  /** ISO-8601 instant the record was stored (or found unchanged). */
  storedAt: string;
}

/** The poll job carries the whole source definition, so workers need no copy of the sources file. */
export const SourcePollJobDataSchema = z.object({
  source: SourceSchema,
});
export type SourcePollJobData = z.infer<typeof SourcePollJobDataSchema>;

export interface SourcePollResult {
  sourceId: string;
  discovered: number;
  enqueued: number;
}
