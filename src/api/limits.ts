import type { ServerOptions } from "node:http";
import type { Config } from "../config.js";

/**
 * The limits every request meets before any route runs, in one place: what README documents and
 * what the server is built with.
 */

/** Request bodies are a URL and a flag; anything near this size is a mistake or an attack. */
export const BODY_LIMIT_BYTES = 16 * 1024;
/** The request line and headers together (431 above it): node's default, pinned so no flag moves it. */
export const HEADER_LIMIT_BYTES = 16 * 1024;
/** Ids are at most 200 characters; a path parameter over this is answered 414 by the router. */
export const MAX_PARAM_LENGTH = 256;

/**
 * Node only looks for requests past their deadline on a timer, every 30 s by default, so a client
 * trickling its headers kept its connection up to 30 s past the timeout. A quarter of the timeout,
 * at most a second, cuts it close to the timeout itself.
 */
function deadlineCheckIntervalMs(timeoutMs: number): number {
  return Math.max(50, Math.min(1000, Math.floor(timeoutMs / 4)));
}

/**
 * The node server's options: the headers, and the whole request, must arrive within the request
 * timeout; slower clients get a 408 and are disconnected.
 */
export function httpServerOptions(config: Pick<Config, "apiRequestTimeoutMs">): ServerOptions {
  const timeoutMs = config.apiRequestTimeoutMs;
  return {
    headersTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    connectionsCheckingInterval: deadlineCheckIntervalMs(timeoutMs),
    maxHeaderSize: HEADER_LIMIT_BYTES,
  };
}
