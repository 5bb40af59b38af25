import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { collectDefaultMetrics, Registry } from "prom-client";
import { CopydeskError } from "../domain/errors.js";
import { sharedMetrics } from "../metrics.js";

/**
 * /metrics of a process without the API (`copydesk worker`): its workers record fetches,
 * extractions and upserts into counters of its own memory, which only it can serve. Plain
 * node:http, one route, no token check (hence loopback by default): a scrape target, not an API.
 */
export interface MetricsServer {
  /** http://host:port/metrics, with the port actually bound (port 0 takes a free one). */
  url: string;
  port: number;
  /** Stops listening and drops the scrapers' kept-alive connections. */
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Defaults to workerMetricsRegistry(). */
  registry?: Registry;
}

/** The pipeline's shared counters with this process's own (CPU, memory, event loop lag, GC). */
export function workerMetricsRegistry(): Registry {
  const local = new Registry();
  collectDefaultMetrics({ register: local });
  return Registry.merge([sharedMetrics, local]);
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { logger } = options;
  const registry = options.registry ?? workerMetricsRegistry();
  const server = createServer((request, response) => {
    answer(request, response, registry).catch((error: unknown) => {
      logger.warn({ err: error }, "metrics scrape failed");
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end("metrics could not be collected\n");
    });
  });
  // A scraper asks again every few seconds; a stalled one must not hold a socket for minutes.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const where = `${options.host}:${options.port}`;
      const hint =
        error.code === "EADDRINUSE"
          ? "in use: give each worker its own COPYDESK_METRICS_PORT"
          : error.message;
      reject(
        new CopydeskError("CONFIG_INVALID", `cannot serve metrics on ${where}: ${hint}`, { cause: error }),
      );
    });
    server.listen(options.port, options.host, () => resolve());
  });
  server.on("error", (error) => logger.warn({ err: error }, "metrics server error"));

  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/metrics`;
  logger.info({ metrics: url }, `metrics on ${url}`);
  return {
    url,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(request: IncomingMessage, response: ServerResponse, registry: Registry): Promise<void> {
  const path = (request.url ?? "/").split("?")[0];
  if (path !== "/metrics") {
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("not found: metrics are at /metrics\n");
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { "content-type": "text/plain", allow: "GET, HEAD" });
    response.end("method not allowed: GET /metrics\n");
    return;
  }
  const body = await registry.metrics();
  response.writeHead(200, { "content-type": registry.contentType });
  response.end(request.method === "HEAD" ? undefined : body);
}
