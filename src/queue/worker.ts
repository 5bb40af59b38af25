import { DelayedError, type Job, type Processor, Worker } from "bullmq";
import type { Logger } from "pino";
import type { CopydeskError } from "../domain/errors.js";
import type { Source } from "../domain/source.js";
import type { DiscoveredUrl } from "../fetchers/discovery/feeds.js";
import type { PipelineRecorder } from "../metrics.js";
import { type ArticleJobDeps, runArticleJob } from "./article-processor.js";
import { type BackoffOptions, backoffStrategy, DEFAULT_BACKOFF } from "./backoff.js";
import { enqueueArticle } from "./enqueue.js";
import type { ArticleJobData, ArticleJobResult, SourcePollJobData, SourcePollResult } from "./job-schemas.js";
import { ARTICLE_QUEUE, SOURCE_QUEUE } from "./names.js";
import { type OrphanedJobRecovery, RunningJobs, recoverOrphanedJobs } from "./orphaned-jobs.js";
import type { QueueSet } from "./queues.js";
import { runSourcePoll } from "./source-processor.js";

export interface PipelineWorkerOptions {
  queues: QueueSet;
  fetcher: ArticleJobDeps["fetcher"];
  store: ArticleJobDeps["store"];
  extract: ArticleJobDeps["extract"];
  discover(source: Source, signal?: AbortSignal): Promise<DiscoveredUrl[]>;
  /** Article jobs in flight in this process. */
  concurrency: number;
  sourceConcurrency?: number;
  dedupeWindowMs: number;
  attempts: number;
  backoff?: BackoffOptions;
  /** How long a job's lock lasts without renewal: a killed worker's jobs are taken over after it. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** On close, in-flight jobs get this long to finish before they are released to other workers. */
  shutdownGraceMs?: number;
  logger: Logger;
  recorder: PipelineRecorder;
}

export interface PipelineWorkers {
  articles: Worker<ArticleJobData, ArticleJobResult>;
  sources: Worker<SourcePollJobData, SourcePollResult>;
  /** Per worker, what gives back the jobs a Redis restart left locked to it (see orphaned-jobs.ts). */
  orphans: { articles: OrphanedJobRecovery; sources: OrphanedJobRecovery };
  /** Stops taking jobs, lets in-flight ones finish (or releases them after the grace period), disconnects. */
  close(): Promise<void>;
  /**
   * Settles with the first `stop` error a job met (STORE_SCHEMA_NEWER, CONFIG_INVALID…): the job
   * was released and the workers are closing. Never settles while the process is healthy.
   */
  readonly halted: Promise<CopydeskError>;
}

/**
 * The worker side of the pipeline in one process: an article worker and a source worker on the
 * shared queues. The processors are the thin adapters of article-processor.ts and
 * source-processor.ts; everything here is BullMQ settings.
 */
export function startPipelineWorkers(options: PipelineWorkerOptions): PipelineWorkers {
  const { queues, logger } = options;
  const common = {
    connection: queues.connection,
    prefix: queues.prefix,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    // A job whose worker died twice in a row is failed rather than passed around forever.
    maxStalledCount: 2,
    // Seconds an idle worker blocks on the queue's marker before it looks again. A wake-up can be
    // lost around a reconnect (a blocking command resent by ioredis, the marker taken by the one
    // abandoned), and BullMQ's watchdog gives a stuck one this plus 1 s: at BullMQ's 5 s, an idle
    // worker could sit 6 s after Redis was back. One BZPOPMIN a second per idle worker costs nothing.
    drainDelay: 1,
    settings: { backoffStrategy: backoffStrategy(options.backoff ?? DEFAULT_BACKOFF) },
  };

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= closeGracefully([articles, sources], options.shutdownGraceMs ?? 25_000, logger);
    return closing;
  };
  let haltedBy: CopydeskError | undefined;
  let settleHalted: (error: CopydeskError) => void = () => undefined;
  const halted = new Promise<CopydeskError>((resolve) => {
    settleHalted = resolve;
  });
  const halt: ArticleJobDeps["halt"] = (error, log) => {
    if (haltedBy) {
      log.debug({ code: error.code }, "job released: this worker is stopping");
      return;
    }
    haltedBy = error;
    log.fatal(
      { code: error.code, reason: error.message },
      "this process cannot run jobs: job released for another worker, taking no more jobs",
    );
    // Not awaited: closing waits for in-flight jobs, the one calling here among them.
    void close();
    settleHalted(error);
  };

  const articleDeps: ArticleJobDeps = {
    fetcher: options.fetcher,
    store: options.store,
    extract: options.extract,
    logger,
    recorder: options.recorder,
    halt,
    enqueueOriginal: async (url, job) => {
      await enqueueArticle(
        queues.articles,
        { url, trigger: job.trigger, force: job.force, sourceId: job.sourceId, viaAggregator: job.url },
        { dedupeWindowMs: options.dedupeWindowMs, attempts: options.attempts },
      );
    },
  };

  const running = { articles: new RunningJobs(), sources: new RunningJobs() };
  const articles = new Worker<ArticleJobData, ArticleJobResult>(
    ARTICLE_QUEUE,
    tracked(
      running.articles,
      (job: Job<ArticleJobData, ArticleJobResult>, token?: string, signal?: AbortSignal) =>
        runArticleJob(job, token, articleDeps, signal),
    ),
    { ...common, concurrency: options.concurrency },
  );

  const sources = new Worker<SourcePollJobData, SourcePollResult>(
    SOURCE_QUEUE,
    tracked(
      running.sources,
      (job: Job<SourcePollJobData, SourcePollResult>, token?: string, signal?: AbortSignal) =>
        runSourcePoll(
          job,
          token,
          {
            discover: options.discover,
            logger,
            halt,
            enqueue: (url, source) =>
              enqueueArticle(
                queues.articles,
                { url, trigger: "discovered", sourceId: source.id, fromListing: source.kind === "listing" },
                { dedupeWindowMs: options.dedupeWindowMs, attempts: options.attempts },
              ),
          },
          signal,
        ),
    ),
    { ...common, concurrency: options.sourceConcurrency ?? 2 },
  );
  const orphans = {
    articles: recoverOrphanedJobs(articles as Worker, running.articles, logger),
    sources: recoverOrphanedJobs(sources as Worker, running.sources, logger),
  };

  for (const [worker, inHand] of [
    [articles, running.articles],
    [sources, running.sources],
  ] as [Worker, RunningJobs][]) {
    worker.on("completed", (job) => inHand.finished(job.token, job.id));
    worker.on("failed", (job, error) => {
      if (!job) return;
      inHand.finished(job.token, job.id);
      const data = job.data as { url?: string; source?: { url?: string } };
      logger.warn(
        {
          jobId: job.id,
          url: data.url ?? data.source?.url,
          host: hostOf(data.url ?? data.source?.url),
          attemptsMade: job.attemptsMade,
          reason: error.message,
        },
        "job attempt failed",
      );
    });
    // Connection errors are retried by ioredis; log them instead of crashing on an unhandled 'error'.
    worker.on("error", (error) => logger.error({ err: error }, "worker error"));
  }

  return { articles, sources, orphans, close, halted };
}

/**
 * The processor, keeping `running` (this worker's jobs in hand) for the orphan recovery. A job
 * leaves it on its `completed` or `failed` event, or, when the processor put it back delayed
 * itself, on DelayedError (BullMQ sends no event then).
 */
function tracked<D, R>(running: RunningJobs, processor: Processor<D, R>): Processor<D, R> {
  return async (job, token, signal) => {
    running.started(token, job.id);
    try {
      return await processor(job, token, signal);
    } catch (error) {
      if (error instanceof DelayedError) running.finished(token, job.id);
      throw error;
    }
  };
}

async function closeGracefully(workers: Worker[], graceMs: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const graceful = Promise.all(workers.map((worker) => worker.close())).then(() => "closed" as const);
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), graceMs);
  });
  const outcome = await Promise.race([graceful, timeout]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    // Their locks lapse and the stalled-job check hands them to another worker: released, not lost.
    logger.warn({ graceMs }, "in-flight jobs did not finish in time: releasing them to other workers");
    await Promise.all(workers.map((worker) => worker.close(true)));
  }
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
