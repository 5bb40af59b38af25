import { pino } from "pino";
import { buildServer } from "../api/server.js";
import { type Config, loadConfig } from "../config.js";
import { CopydeskError } from "../domain/errors.js";
import { type JobsClient, openJobsClient } from "../queue/jobs-client.js";
import { openStore } from "../store/index.js";

interface ServeOptions {
  host?: string;
  port?: string;
}

export const serveCommand = async (options: ServeOptions) => {
  const config = loadConfig();
  await serve({
    ...config,
    host: options.host ?? config.host,
    port: options.port === undefined ? config.port : parsePort(options.port),
  });
};

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CopydeskError("INPUT_INVALID", `--port must be 0..65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

/** Runs until SIGINT or SIGTERM, then stops taking requests, lets in-flight ones finish and closes. */
export async function serve(config: Config): Promise<void> {
  const logger = pino({ level: config.logLevel, base: { service: "copydesk-api" } });
  const store = await openStore(config);
  let jobs: JobsClient | undefined;
  if (config.redisUrl) jobs = openJobsClient(config.redisUrl);
  else logger.warn("REDIS_URL is not set: re-fetching and the dashboard are off");

  const app = await buildServer({
    store,
    config,
    logger,
    ...(jobs ? { jobs, queues: jobs.queues() } : {}),
  });
  const address = await app.listen({ host: config.host, port: config.port });
  process.stderr.write(
    `copydesk: API on ${address} (reader ${address}/, docs ${address}/docs, store ${store.backend})\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, "shutting down");
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await app.close();
  await Promise.allSettled([jobs?.close(), store.close()]);
}
