import type { Command } from "commander";
import { loadConfig } from "../config.js";
import { createPipelineLogger } from "../queue/logger.js";
import { joinRedisUrl, onShutdownSignal, openPipeline } from "../queue/runtime.js";
import { openStore } from "../store/index.js";

interface WorkerOptions {
  concurrency?: string;
  threads?: string;
}

/** `copydesk worker`: takes article and source jobs from Redis until SIGTERM/SIGINT. */
export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("Run a pipeline worker: fetch, extract and store queued articles, poll sources (REDIS_URL).")
    .option("--concurrency <n>", "article jobs in flight (default COPYDESK_WORKER_CONCURRENCY)")
    .option("--threads <n>", "extraction threads; 0 = CPUs - 1 (default COPYDESK_EXTRACT_THREADS)")
    .action(async (options: WorkerOptions) => {
      const config = loadConfig();
      const logger = createPipelineLogger(config, "worker");
      const store = await openStore(config);
      const pipeline = openPipeline(config, joinRedisUrl(config), logger);
      pipeline.startWorkers(store, {
        ...(options.concurrency ? { concurrency: positiveInt(options.concurrency, "--concurrency") } : {}),
        ...(options.threads !== undefined
          ? { extractThreads: positiveInt(options.threads, "--threads", true) }
          : {}),
      });
      onShutdownSignal(logger, async () => {
        await pipeline.close();
        await store.close();
      });
      await new Promise(() => undefined);
    });
}

export function positiveInt(value: string, name: string, allowZero = false): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < (allowZero ? 0 : 1)) {
    throw new Error(`${name} must be a ${allowZero ? "non-negative" : "positive"} integer, got ${value}`);
  }
  return number;
}
