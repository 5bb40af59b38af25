import { Redis } from "ioredis";
import { type Logger, pino } from "pino";
import { loadConfig } from "../../../src/config.js";
import type { ArticleRecord } from "../../../src/domain/article.js";
import type { ParsePageInput } from "../../../src/domain/page.js";
import { discoverSource } from "../../../src/fetchers/discovery/discover.js";
import { createDocumentFetcher } from "../../../src/fetchers/discovery/fetch-document.js";
import { createFetcher, fetcherSettingsFromConfig } from "../../../src/fetchers/fetch-page.js";
import { RedisHostPolicy } from "../../../src/fetchers/redis-host-policy.js";
import { prometheusRecorder } from "../../../src/metrics.js";
import { redisConnectionOptions } from "../../../src/queue/connection.js";
import { createJobsClient, type JobsClient } from "../../../src/queue/jobs-client.js";
import { openQueues, type QueueSet } from "../../../src/queue/queues.js";
import { type PipelineWorkers, startPipelineWorkers } from "../../../src/queue/worker.js";
import { fakeExtract } from "./fake-extract.js";
import { type QueueTestStore, redisTestStore } from "./redis-store.js";

export interface HarnessOptions {
  redisUrl: string;
  concurrency?: number;
  hostConcurrency?: number;
  hostDelayMs?: number;
  attempts?: number;
  dedupeWindowMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  shutdownGraceMs?: number;
  /** Start the workers now (default) or later with `start()`. */
  autostart?: boolean;
  /** Defaults to a silent one. */
  logger?: Logger;
  /** Defaults to the fake extractor, run in place; tests of the extraction limits pass a pool's. */
  extract?: (input: ParsePageInput) => Promise<ArticleRecord>;
}

/** One worker process worth of pipeline, with the real fetcher and queues, a fake extractor and store. */
export interface Harness {
  queues: QueueSet;
  jobs: JobsClient;
  store: QueueTestStore;
  workers: PipelineWorkers | undefined;
  start(): PipelineWorkers;
  close(): Promise<void>;
}

export function startHarness(options: HarnessOptions): Harness {
  const config = loadConfig({
    COPYDESK_ALLOW_HOSTS: "127.0.0.1",
    COPYDESK_HOST_DELAY_MS: String(options.hostDelayMs ?? 0),
    COPYDESK_HOST_CONCURRENCY: String(options.hostConcurrency ?? 8),
    LOG_LEVEL: "silent",
  });
  const connection = redisConnectionOptions(options.redisUrl);
  const redis = new Redis({ ...connection });
  redis.on("error", () => undefined);
  const hostPolicy = new RedisHostPolicy({
    redis,
    concurrency: config.hostConcurrency,
    leaseTtlMs: 10_000,
    maxWaitMs: 100,
  });
  const settings = fetcherSettingsFromConfig(config, {
    hostPolicy,
    connectTimeoutMs: 2000,
    headersTimeoutMs: 5000,
  });
  const fetcher = createFetcher(settings);
  const documents = createDocumentFetcher(settings, fetcher.politeness);
  const queues = openQueues({ connection });
  const store = redisTestStore(redis);
  const attempts = options.attempts ?? 4;
  const dedupeWindowMs = options.dedupeWindowMs ?? 60_000;
  const jobs = createJobsClient(queues, { attempts, dedupeWindowMs });
  const logger = options.logger ?? pino({ level: "silent" });

  const harness: Harness = {
    queues,
    jobs,
    store,
    workers: undefined,
    start() {
      harness.workers = startPipelineWorkers({
        queues,
        fetcher,
        store,
        extract: options.extract ?? (async (input) => fakeExtract(input)),
        discover: (source, signal) => discoverSource(source, documents, signal),
        concurrency: options.concurrency ?? 4,
        dedupeWindowMs,
        attempts,
        backoff: { baseMs: 50, maxMs: 400 },
        lockDurationMs: options.lockDurationMs ?? 30_000,
        stalledIntervalMs: options.stalledIntervalMs ?? 30_000,
        shutdownGraceMs: options.shutdownGraceMs ?? 10_000,
        logger,
        recorder: prometheusRecorder,
      });
      return harness.workers;
    },
    async close() {
      await harness.workers?.close();
      await queues.close();
      await fetcher.close();
      await documents.close();
      redis.disconnect();
    },
  };
  if (options.autostart !== false) harness.start();
  return harness;
}

/** Polls until `check` passes or `timeoutMs` elapses (then throws the last failure). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
