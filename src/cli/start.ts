import { buildServer } from "../api/server.js";
import { loadConfig } from "../config.js";
import { describeRedisUrl } from "../queue/connection.js";
import { createPipelineLogger } from "../queue/logger.js";
import { once, onShutdownSignal, openPipeline, ownRedis } from "../queue/runtime.js";
import { openStore } from "../store/index.js";
import { watchSources } from "./scheduler.js";
import { exitWhenHalted, positiveInt } from "./worker.js";

/**
 * `copydesk start`: API, scheduler and workers in one process for a single machine. Redis is
 * REDIS_URL, or a private redis-server under ./data/redis started (and stopped) here.
 */
export const startCommand = async (options: { concurrency?: string }) => {
  const config = loadConfig();
  const logger = createPipelineLogger(config, "start");
  const redis = await ownRedis(config, logger, { install: false });
  logger.info({ redis: describeRedisUrl(redis.url), private: !config.redisUrl }, "redis");
  const store = await openStore(config);
  const pipeline = openPipeline(config, redis.url, logger);
  const workers = pipeline.startWorkers(store, {
    ...(options.concurrency ? { concurrency: positiveInt(options.concurrency, "--concurrency") } : {}),
  });
  const stopWatching = watchSources(pipeline.queues, config.sourcesFile, logger);
  const app = await buildServer({
    store,
    jobs: pipeline.jobs,
    queues: pipeline.queues.all(),
    config,
    logger,
  });
  const address = await app.listen({ host: config.host, port: config.port });
  logger.info({ address, sources: config.sourcesFile }, "copydesk is running");
  // The API's /metrics already serves this process's workers' counters (they share src/metrics.ts).
  if (config.metricsPort !== undefined) {
    logger.warn(
      { metricsPort: config.metricsPort, metrics: `${address}/metrics` },
      "COPYDESK_METRICS_PORT is for `copydesk worker`: the workers of `start` are scraped at the API's /metrics",
    );
  }
  const stop = once(async () => {
    stopWatching();
    await app.close();
    await pipeline.close();
    await store.close();
    await redis.stop();
  });
  onShutdownSignal(logger, stop);
  exitWhenHalted(workers.halted, logger, stop);
  await new Promise(() => undefined);
};
