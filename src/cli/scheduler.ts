import { statSync } from "node:fs";
import type { Logger } from "pino";
import { loadConfig } from "../config.js";
import { createPipelineLogger } from "../queue/logger.js";
import type { QueueSet } from "../queue/queues.js";
import { joinRedisUrl, onShutdownSignal, openPipeline } from "../queue/runtime.js";
import { syncSourceSchedulers } from "../queue/scheduler.js";
import { readSourcesFile } from "../queue/sources-file.js";

/**
 * Keeps BullMQ's job schedulers in line with the sources file: synced at start and whenever the
 * file changes. Every sync is an idempotent upsert, so several scheduler processes (or restarts)
 * leave one scheduler per source.
 */
export function watchSources(queues: QueueSet, file: string, logger: Logger, everyMs = 5000): () => void {
  let lastMtime = -1;
  let running = false;
  const sync = async () => {
    if (running) return;
    running = true;
    try {
      const mtime = mtimeOf(file);
      if (mtime === lastMtime) return;
      const sources = readSourcesFile(file);
      const report = await syncSourceSchedulers(queues.sources, sources);
      lastMtime = mtime;
      logger.info(
        { file, sources: report.upserted.length, removed: report.removed },
        "source schedulers synced",
      );
    } catch (error) {
      logger.error({ err: error, file }, "could not sync source schedulers");
    } finally {
      running = false;
    }
  };
  void sync();
  const timer = setInterval(sync, everyMs);
  return () => clearInterval(timer);
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

export const schedulerCommand = async (options: { once?: boolean }) => {
  const config = loadConfig();
  const logger = createPipelineLogger(config, "scheduler");
  const pipeline = openPipeline(config, joinRedisUrl(config), logger);
  if (options.once) {
    const report = await syncSourceSchedulers(pipeline.queues.sources, readSourcesFile(config.sourcesFile));
    process.stdout.write(`synced ${report.upserted.length} source(s), removed ${report.removed.length}\n`);
    await pipeline.close();
    return;
  }
  const stop = watchSources(pipeline.queues, config.sourcesFile, logger);
  onShutdownSignal(logger, async () => {
    stop();
    await pipeline.close();
  });
  await new Promise(() => undefined);
};
