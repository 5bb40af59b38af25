import { hostname } from "node:os";
import { type DestinationStream, type Logger, pino } from "pino";
import type { Config } from "../config.js";

/**
 * pino JSON logs for the pipeline processes. Every line says where it comes from: `process` (which
 * role wrote it when several share one), `pid` and `hostname` (which machine: workers of one
 * pipeline run on several). Processors add jobId, url and host (the URL's) through child loggers.
 */
export function createPipelineLogger(
  config: Pick<Config, "logLevel">,
  role: string,
  destination?: number | DestinationStream,
): Logger {
  return pino(
    { level: config.logLevel, base: { process: role, pid: process.pid, hostname: hostname() } },
    typeof destination === "object" ? destination : pino.destination(destination ?? 1),
  );
}
