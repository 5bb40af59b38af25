import { type Logger, pino } from "pino";
import type { Config } from "../config.js";

/**
 * pino JSON logs for the pipeline processes. Processors add jobId, url and host to every line they
 * write through a child logger; `process` says which role wrote the line when several share one.
 */
export function createPipelineLogger(
  config: Pick<Config, "logLevel">,
  role: string,
  destination?: number,
): Logger {
  return pino(
    { level: config.logLevel, base: { process: role, pid: process.pid } },
    pino.destination(destination ?? 1),
  );
}
