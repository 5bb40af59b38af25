import { existsSync } from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { CopydeskError } from "../domain/errors.js";
import { discoverSource } from "../fetchers/discovery/discover.js";
import { createDocumentFetcher } from "../fetchers/discovery/fetch-document.js";
import { createFetcher, type FetcherSettings, fetcherSettingsFromConfig } from "../fetchers/fetch-page.js";
import { RedisHostPolicy } from "../fetchers/redis-host-policy.js";
import { prometheusRecorder } from "../metrics.js";
import type { ArticleStore } from "../store/article-store.js";
import { redisConnectionOptions } from "./connection.js";
import { createExtractPool, type ExtractPool } from "./extract-pool.js";
import { createJobsClient, type JobsClient } from "./jobs-client.js";
import { DEFAULT_QUEUE_PREFIX } from "./names.js";
import { ensureRedisServer, type PrivateRedis, startPrivateRedis } from "./private-redis.js";
import { openQueues, type QueueSet } from "./queues.js";
import { type PipelineWorkers, startPipelineWorkers } from "./worker.js";

/**
 * Wiring of one pipeline process from the configuration: the queues and a JobsClient for any role,
 * plus, for worker roles, the fetcher with the Redis host policy, the extraction thread pool and the
 * BullMQ workers. CLI commands (worker, scheduler, start, demo) and the benchmark use this.
 */
export interface PipelineProcess {
  redisUrl: string;
  queues: QueueSet;
  jobs: JobsClient;
  /** Starts the article and source workers on `store`; closing the process closes them. */
  startWorkers(store: ArticleStore, options?: WorkerTuning): PipelineWorkers;
  close(): Promise<void>;
}

export interface WorkerTuning {
  concurrency?: number;
  extractThreads?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  fetcher?: Partial<FetcherSettings>;
}

export function openPipeline(
  config: Config,
  redisUrl: string,
  logger: Logger,
  options: { prefix?: string } = {},
): PipelineProcess {
  const connection = redisConnectionOptions(redisUrl);
  const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
  const queues = openQueues({ connection, prefix });
  const jobs = createJobsClient(queues, {
    dedupeWindowMs: config.dedupeWindowMs,
    attempts: config.jobAttempts,
  });
  const closers: (() => Promise<void>)[] = [];

  return {
    redisUrl,
    queues,
    jobs,
    startWorkers(store, tuning = {}) {
      const redis = new Redis({ ...connection });
      redis.on("error", (error) => logger.warn({ err: error }, "host policy redis connection error"));
      const hostPolicy = new RedisHostPolicy({
        redis,
        concurrency: config.hostConcurrency,
        prefix: DEFAULT_QUEUE_PREFIX,
      });
      const settings = fetcherSettingsFromConfig(config, { hostPolicy, ...tuning.fetcher });
      const fetcher = createFetcher(settings);
      const documents = createDocumentFetcher(settings, fetcher.politeness);
      const pool: ExtractPool = createExtractPool({
        threads: tuning.extractThreads ?? config.extractThreads,
        timeoutMs: config.extractTimeoutMs,
        onThreadError: (error) =>
          logger.warn({ err: error }, "extraction thread failed between pages; replaced"),
      });
      const workers = startPipelineWorkers({
        queues,
        fetcher,
        store,
        extract: (input) => pool.extract(input),
        discover: (source, signal) => discoverSource(source, documents, signal),
        concurrency: tuning.concurrency ?? config.workerConcurrency,
        dedupeWindowMs: config.dedupeWindowMs,
        attempts: config.jobAttempts,
        shutdownGraceMs: config.shutdownGraceMs,
        ...(tuning.lockDurationMs ? { lockDurationMs: tuning.lockDurationMs } : {}),
        ...(tuning.stalledIntervalMs ? { stalledIntervalMs: tuning.stalledIntervalMs } : {}),
        logger,
        recorder: prometheusRecorder,
      });
      logger.info(
        { concurrency: tuning.concurrency ?? config.workerConcurrency, extractThreads: pool.threads },
        "workers started",
      );
      closers.push(async () => {
        await workers.close();
        await Promise.allSettled([pool.close(), fetcher.close(), documents.close()]);
        redis.disconnect();
      });
      return workers;
    },
    async close() {
      for (const close of closers.splice(0).reverse()) await close();
      await queues.close();
    },
  };
}

/** The socket a private redis-server of `start` listens on, under the data dir. */
export function privateRedisSocket(config: Pick<Config, "dataDir">): string {
  return path.join(config.dataDir, "redis", "redis.sock");
}

/**
 * Redis for a command that joins a running pipeline (worker, scheduler, refetch, jobs): REDIS_URL,
 * else the private redis-server of a `copydesk start` running with the same data dir.
 */
export function joinRedisUrl(config: Pick<Config, "redisUrl" | "dataDir">): string {
  if (config.redisUrl) return config.redisUrl;
  const socket = privateRedisSocket(config);
  if (existsSync(socket)) return `unix://${socket}`;
  throw new CopydeskError(
    "CONFIG_INVALID",
    "REDIS_URL is not set and no private redis-server is running: set REDIS_URL, or run `copydesk start`",
  );
}

/** Redis for a command that runs the whole pipeline (start, demo): REDIS_URL, or a private server. */
export async function ownRedis(
  config: Pick<Config, "redisUrl" | "dataDir">,
  logger: Logger,
  options: { install: boolean },
): Promise<PrivateRedis> {
  if (config.redisUrl) return { url: config.redisUrl, owned: false, stop: async () => undefined };
  ensureRedisServer(logger, options);
  return startPrivateRedis({ dataDir: config.dataDir, logger });
}

/** `stop` made safe to call from several places (a signal, a halt): later calls share the first run. */
export function once(stop: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= stop();
    return running;
  };
}

/** Runs `stop` once on the first SIGTERM or SIGINT; a second signal exits at once. */
export function onShutdownSignal(logger: Logger, stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, "shutting down: no new jobs, finishing in-flight ones");
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
