import type { Logger } from "pino";
import { loadConfig } from "../config.js";
import type { CopydeskError } from "../domain/errors.js";
import { createPipelineLogger } from "../queue/logger.js";
import { startMetricsServer } from "../queue/metrics-server.js";
import { joinRedisUrl, once, onShutdownSignal, openPipeline } from "../queue/runtime.js";
import type { ArticleStore } from "../store/article-store.js";
import { openStore } from "../store/index.js";
import { EXIT_ENVIRONMENT } from "./exit-codes.js";

interface WorkerOptions {
  concurrency?: string;
  threads?: string;
}

/** `copydesk worker`: takes article and source jobs from Redis until SIGTERM/SIGINT. */
export const workerCommand = async (options: WorkerOptions) => {
  const config = loadConfig();
  const logger = createPipelineLogger(config, "worker");
  const tuning = {
    ...(options.concurrency ? { concurrency: positiveInt(options.concurrency, "--concurrency") } : {}),
    ...(options.threads !== undefined
      ? { extractThreads: positiveInt(options.threads, "--threads", true) }
      : {}),
  };
  const redisUrl = joinRedisUrl(config);
  // Before any job is taken: a port already in use stops the worker instead of leaving it unscraped.
  const metrics =
    config.metricsPort === undefined
      ? undefined
      : await startMetricsServer({ host: config.metricsHost, port: config.metricsPort, logger });
  let store: ArticleStore;
  try {
    store = await openStore(config);
  } catch (error) {
    await metrics?.close();
    throw error;
  }
  const pipeline = openPipeline(config, redisUrl, logger);
  const workers = pipeline.startWorkers(store, tuning);
  const stop = once(async () => {
    try {
      await pipeline.close();
      await store.close();
    } finally {
      // Last, so a scrape while in-flight jobs finish still sees their counts.
      await metrics?.close();
    }
  });
  onShutdownSignal(logger, stop);
  exitWhenHalted(workers.halted, logger, stop);
  await new Promise(() => undefined);
};

/**
 * Once the workers halt on a `stop` error (already logged, job released), shuts down as a signal
 * would and exits 3, the code of any command failing that way: a supervisor sees the
 * misconfiguration instead of a live process that takes no jobs.
 */
export function exitWhenHalted(
  halted: Promise<CopydeskError>,
  logger: Logger,
  stop: () => Promise<void>,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  void halted.then(async (error) => {
    try {
      await stop();
    } catch (failure) {
      logger.error({ err: failure }, "shutdown after a stop error failed");
    }
    logger.info({ code: error.code, exitCode: EXIT_ENVIRONMENT }, "exiting: stopped by a stop error");
    exit(EXIT_ENVIRONMENT);
  });
}

export function positiveInt(value: string, name: string, allowZero = false): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < (allowZero ? 0 : 1)) {
    throw new Error(`${name} must be a ${allowZero ? "non-negative" : "positive"} integer, got ${value}`);
  }
  return number;
}
