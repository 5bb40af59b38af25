import type { Job, JobState, Queue } from "bullmq";
import { CopydeskError } from "../domain/errors.js";
import { parseHttpUrl } from "../domain/url.js";
import { redisConnectionOptions } from "./connection.js";
import { type EnqueueResult, enqueueArticle } from "./enqueue.js";
import type { ArticleJobResult } from "./job-schemas.js";
import { openQueues, type QueueSet } from "./queues.js";

/**
 * The narrow face of the queues for other parts of the product (the API's POST /v1/refetch,
 * GET /v1/jobs/:id and /metrics, the `refetch` command): enqueue a manual re-fetch, read a job,
 * count jobs. Bull Board gets the raw queues from `queues()`.
 */
export interface JobsClient {
  enqueueRefetch(url: string, options?: { force?: boolean }): Promise<EnqueueResult>;
  getJob(jobId: string): Promise<JobView | null>;
  /** Resolves when the job completes or fails, or with the current view after `timeoutMs`. */
  waitForJob(jobId: string, timeoutMs: number): Promise<JobView | null>;
  counts(): Promise<QueueCounts>;
  /** The BullMQ queues, for Bull Board. */
  queues(): Queue[];
  close(): Promise<void>;
}

export type JobViewState = JobState | "unknown";

export interface JobView {
  id: string;
  queue: string;
  name: string;
  state: JobViewState;
  url: string | null;
  attemptsMade: number;
  /** ISO-8601 UTC. */
  createdAt: string;
  finishedAt: string | null;
  /** The article job's result once it completed. */
  result: ArticleJobResult | null;
  /** Why the job failed, starting with the error code ("FETCH_HTTP_PERMANENT: ..."). */
  failedReason: string | null;
}

export type StateCounts = Record<
  "waiting" | "active" | "delayed" | "prioritized" | "completed" | "failed",
  number
>;

export interface QueueCounts {
  articles: StateCounts;
  sources: StateCounts;
}

export interface JobsClientOptions {
  /** Window within which a URL discovered twice is fetched once; manual re-fetches ignore it. */
  dedupeWindowMs?: number;
  attempts?: number;
}

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_DEDUPE_WINDOW_MS = 30 * 60_000;

const COUNTED = ["waiting", "active", "delayed", "prioritized", "completed", "failed"] as const;

/** The job as its state says; `known` when the caller read the state already (see getJob). */
export async function viewOfJob(job: Job, known?: Awaited<ReturnType<Job["getState"]>>): Promise<JobView> {
  const state = known ?? (await job.getState());
  const data = job.data as { url?: unknown };
  return {
    id: String(job.id),
    queue: job.queueName,
    name: job.name,
    state,
    url: typeof data?.url === "string" ? data.url : null,
    attemptsMade: job.attemptsMade,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    result: state === "completed" ? ((job.returnvalue as ArticleJobResult | null) ?? null) : null,
    failedReason: job.failedReason ? job.failedReason : null,
  };
}

async function countsOf(queue: Queue): Promise<StateCounts> {
  const raw = await queue.getJobCounts(...COUNTED);
  const out = {} as StateCounts;
  for (const state of COUNTED) out[state] = raw[state] ?? 0;
  return out;
}

/** A JobsClient over an open set of queues (the caller closes them) or one it opens itself. */
export function createJobsClient(
  queues: QueueSet,
  options: JobsClientOptions = {},
  ownsQueues = false,
): JobsClient {
  const dedupeWindowMs = options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;

  async function findJob(jobId: string): Promise<Job | undefined> {
    return (await queues.articles.getJob(jobId)) ?? (await queues.sources.getJob(jobId)) ?? undefined;
  }

  return {
    async enqueueRefetch(url, refetchOptions = {}) {
      const parsed = parseHttpUrl(url);
      return enqueueArticle(
        queues.articles,
        { url: parsed.href, trigger: "manual", force: refetchOptions.force ?? false },
        { dedupeWindowMs, attempts },
      );
    },
    async getJob(jobId) {
      const job = await findJob(jobId);
      if (!job) return null;
      const state = await job.getState();
      // The job may have finished between loading it and reading its state: then the loaded copy
      // has no result yet, and a second read has it.
      const finished = (state === "completed" || state === "failed") && !job.finishedOn;
      const current = finished ? ((await findJob(jobId)) ?? job) : job;
      return viewOfJob(current, state);
    },
    async waitForJob(jobId, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      // Polling keeps this free of a QueueEvents connection per caller; jobs take seconds, not ms.
      for (;;) {
        const view = await this.getJob(jobId);
        if (!view) return null;
        if (view.state === "completed" || view.state === "failed" || Date.now() >= deadline) return view;
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(200, Math.max(0, deadline - Date.now()))),
        );
      }
    },
    async counts() {
      const [articles, sources] = await Promise.all([countsOf(queues.articles), countsOf(queues.sources)]);
      return { articles, sources };
    },
    queues: () => queues.all(),
    async close() {
      if (ownsQueues) await queues.close();
    },
  };
}

/** Opens the queues at `redisUrl` and returns a client that closes them with itself. */
export function openJobsClient(
  redisUrl: string,
  options: JobsClientOptions & { prefix?: string } = {},
): JobsClient {
  const queues = openQueues({ connection: redisConnectionOptions(redisUrl), prefix: options.prefix });
  return createJobsClient(queues, options, true);
}

export function jobNotFound(jobId: string): CopydeskError {
  return new CopydeskError("QUEUE_JOB_NOT_FOUND", `no job ${jobId}`, { details: { jobId } });
}
