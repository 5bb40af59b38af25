import { CopydeskError, type ErrorCode } from "../domain/errors.js";
import { parseRetryAfter } from "./retry-after.js";

/**
 * Turns what can go wrong on the wire (undici errors, Node socket errors, zlib errors, HTTP
 * statuses) into CopydeskErrors whose code tells the caller whether to retry.
 */
export type FetchPhase = "connect" | "headers" | "body";

/** Statuses that will not change if we ask again. */
const PERMANENT_STATUSES = new Set([400, 401, 403, 404, 410, 451]);
/** 4xx statuses that are about timing, not about the URL. */
const RETRYABLE_4XX = new Set([408, 421, 425]);

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EADDRNOTAVAIL",
]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "ENODATA"]);

interface WireFailure {
  code: ErrorCode;
  message: (host: string, cause: string) => string;
}

const DECOMPRESSION_FAILED: WireFailure = {
  code: "FETCH_DECODE",
  message: (host, cause) => `could not decompress the body from ${host}: ${cause}`,
};

/** undici and zlib error codes that say exactly what went wrong, whatever the phase. */
const WIRE_FAILURES: Record<string, WireFailure> = {
  UND_ERR_CONNECT_TIMEOUT: {
    code: "FETCH_TIMEOUT_CONNECT",
    message: (host) => `connecting to ${host} timed out`,
  },
  UND_ERR_HEADERS_TIMEOUT: {
    code: "FETCH_TIMEOUT_HEADERS",
    message: (host) => `${host} did not send response headers in time`,
  },
  UND_ERR_BODY_TIMEOUT: { code: "FETCH_TIMEOUT_BODY", message: (host) => `${host} stopped sending the body` },
  UND_ERR_HEADERS_OVERFLOW: {
    code: "FETCH_BODY_TOO_LARGE",
    message: (host) => `${host} sent oversized response headers`,
  },
  UND_ERR_RES_EXCEEDED_MAX_SIZE: {
    code: "FETCH_BODY_TOO_LARGE",
    message: (host) => `${host} sent a response over the size limit`,
  },
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: {
    code: "FETCH_TRUNCATED",
    message: (host) => `response from ${host} ended before Content-Length`,
  },
  Z_BUF_ERROR: { code: "FETCH_TRUNCATED", message: (host) => `compressed body from ${host} ended early` },
  Z_DATA_ERROR: DECOMPRESSION_FAILED,
  Z_NEED_DICT: DECOMPRESSION_FAILED,
  ERR_BROTLI_DECOMPRESSION_FAILED: DECOMPRESSION_FAILED,
  ERR_BROTLI_INVALID_PARAM: DECOMPRESSION_FAILED,
};

function errorCode(error: unknown): string | undefined {
  if (error instanceof AggregateError) {
    // Happy-eyeballs failures: every address failed, the first says why.
    return errorCode(error.errors[0]) ?? (error as NodeJS.ErrnoException).code;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Maps any error thrown while fetching `url` to a CopydeskError (CopydeskErrors pass through). */
export function toFetchError(error: unknown, url: string, phase: FetchPhase): CopydeskError {
  if (error instanceof CopydeskError) return error;
  const code = errorCode(error) ?? "unknown";
  const message = error instanceof Error ? error.message : String(error);
  const details = { url, phase, cause: code };
  const options = { details, cause: error };
  const known = Object.hasOwn(WIRE_FAILURES, code) ? WIRE_FAILURES[code] : undefined;
  if (known) return new CopydeskError(known.code, known.message(hostOf(url), message), options);
  if (code === "UND_ERR_SOCKET" || code.startsWith("HPE_") || NETWORK_CODES.has(code)) {
    // Once the body has started, a dead connection means we hold part of a page.
    if (phase === "body") {
      return new CopydeskError(
        "FETCH_TRUNCATED",
        `connection to ${hostOf(url)} ended mid-body (${code})`,
        options,
      );
    }
    return new CopydeskError("FETCH_NETWORK", `network error talking to ${hostOf(url)}: ${code}`, options);
  }
  if (DNS_CODES.has(code)) {
    return new CopydeskError("FETCH_DNS", `could not resolve ${hostOf(url)}: ${code}`, options);
  }
  return new CopydeskError("FETCH_NETWORK", `fetching ${url} failed: ${message}`, options);
}

export interface StatusErrorLimits {
  /** Cap on a Retry-After we will honour. */
  maxRetryAfterMs: number;
  /** What we wait after a 429 that does not say how long. */
  defaultRateLimitMs: number;
}

/** The error for a final (non-redirect, non-2xx, non-304) response status. */
export function errorForStatus(
  status: number,
  retryAfterHeader: string | null,
  url: string,
  limits: StatusErrorLimits,
): CopydeskError {
  const details = { url, status };
  if (status === 429) {
    const retryAfterMs =
      parseRetryAfter(retryAfterHeader, limits.maxRetryAfterMs) ?? limits.defaultRateLimitMs;
    return new CopydeskError("FETCH_RATE_LIMITED", `${hostOf(url)} is rate limiting us (429)`, {
      retryAfterMs,
      details,
    });
  }
  if (status === 503) {
    const retryAfterMs = parseRetryAfter(retryAfterHeader, limits.maxRetryAfterMs);
    return new CopydeskError("FETCH_HTTP_RETRYABLE", `${hostOf(url)} is unavailable (503)`, {
      ...(retryAfterMs === null ? {} : { retryAfterMs }),
      details,
    });
  }
  if (status >= 500 || RETRYABLE_4XX.has(status)) {
    return new CopydeskError("FETCH_HTTP_RETRYABLE", `${url} answered HTTP ${status}`, { details });
  }
  const why = PERMANENT_STATUSES.has(status) ? "" : " (not a status we can act on)";
  return new CopydeskError("FETCH_HTTP_PERMANENT", `${url} answered HTTP ${status}${why}`, { details });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
