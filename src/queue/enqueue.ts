import { canonicalizeUrl, jobKeyForUrl } from "../domain/url.js";
import { BACKOFF_TYPE } from "./backoff.js";
import { ArticleJobDataSchema, type ArticleJobInput, type ArticleJobTrigger } from "./job-schemas.js";
import { ARTICLE_PRIORITY } from "./names.js";
import type { ArticleQueue } from "./queues.js";

export const ARTICLE_JOB_NAME = "article";

export interface EnqueueArticleOptions {
  /**
   * A URL whose job finished less than this long ago is not queued again. Manual re-fetches use 0:
   * a second request while the first is still queued joins it, one after it ran starts a new run.
   */
  dedupeWindowMs: number;
  attempts: number;
  now?: number;
}

export interface EnqueueResult {
  jobId: string;
  /** True when the URL was already queued (or ran within the window) and no job was added. */
  deduplicated: boolean;
}

/**
 * The job id is derived from the canonical URL, so every process queues a given URL under the same
 * id and BullMQ itself refuses the second copy while the first is waiting or running. Manual
 * re-fetches have ids of their own, so a pending scheduled job neither swallows nor delays them.
 */
export function articleJobId(url: string, trigger: ArticleJobTrigger): string {
  const key = jobKeyForUrl(url);
  return trigger === "manual" ? `manual_${key}` : key;
}

const PENDING_STATES = new Set(["waiting", "delayed", "prioritized", "active", "waiting-children"]);

export async function enqueueArticle(
  queue: ArticleQueue,
  input: Omit<ArticleJobInput, "enqueuedAt"> & { enqueuedAt?: string },
  options: EnqueueArticleOptions,
): Promise<EnqueueResult> {
  const now = options.now ?? Date.now();
  const data = ArticleJobDataSchema.parse({
    ...input,
    url: canonicalizeUrl(input.url),
    enqueuedAt: input.enqueuedAt ?? new Date(now).toISOString(),
  });
  const jobId = articleJobId(data.url, data.trigger);
  const windowMs = data.trigger === "manual" ? 0 : options.dedupeWindowMs;

  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (PENDING_STATES.has(state)) return { jobId, deduplicated: true };
    if ((existing.finishedOn ?? 0) > now - windowMs) return { jobId, deduplicated: true };
    // Outside the window: make room for the new run. Another enqueuer may have done it already.
    await existing.remove().catch(() => undefined);
  }
  const job = await queue.add(ARTICLE_JOB_NAME, data, {
    jobId,
    priority: ARTICLE_PRIORITY[data.trigger],
    attempts: options.attempts,
    backoff: { type: BACKOFF_TYPE },
  });
  // When a concurrent enqueuer won the race, BullMQ keeps its job and ignores this one: still one run.
  return { jobId: String(job.id ?? jobId), deduplicated: false };
}
