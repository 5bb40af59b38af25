/**
 * Every failure the pipeline can meet, as a typed error with a stable code and the one thing a
 * caller needs to know: what to do next. `retry` carries an optional delay, `skip` means this input
 * will never succeed (don't retry, move on), `stop` means the process itself is misconfigured.
 */
export type ErrorAction = "retry" | "skip" | "stop";

export const ERROR_CODES = {
  // Bad input handed to us by a user or a caller.
  INPUT_UNREADABLE: "skip",
  INPUT_INVALID: "skip",
  INPUT_BAD_URL: "skip",
  // The input is not an HTML page (binary bytes, a known binary format, or text with no markup),
  // sniffed from its bytes: extracting it would only make an article of mojibake.
  INPUT_NOT_HTML: "skip",
  // Fetching.
  FETCH_BLOCKED_URL: "skip",
  FETCH_BLOCKED_ADDRESS: "skip",
  FETCH_ROBOTS_DISALLOWED: "skip",
  // robots.txt answered 5xx or not at all: the host is off limits for now (RFC 9309), not forever.
  FETCH_ROBOTS_UNAVAILABLE: "retry",
  // The host is at its shared request limit: try again after retryAfterMs. The queue puts the job
  // back delayed without spending an attempt; it was not a fetch.
  FETCH_HOST_BUSY: "retry",
  FETCH_NOT_HTML: "skip",
  FETCH_BODY_TOO_LARGE: "skip",
  FETCH_TOO_MANY_REDIRECTS: "skip",
  FETCH_REDIRECT_LOOP: "skip",
  FETCH_HTTP_PERMANENT: "skip",
  FETCH_HTTP_RETRYABLE: "retry",
  FETCH_RATE_LIMITED: "retry",
  FETCH_TIMEOUT_CONNECT: "retry",
  FETCH_TIMEOUT_HEADERS: "retry",
  FETCH_TIMEOUT_BODY: "retry",
  FETCH_NETWORK: "retry",
  FETCH_DNS: "retry",
  FETCH_TRUNCATED: "retry",
  FETCH_DECODE: "skip",
  // Extraction.
  EXTRACT_FAILED: "skip",
  // The page ran past the extraction time limit, or its thread past its heap limit: the thread was
  // ended and replaced. The same page would do it again, so it is not retried.
  EXTRACT_TIMEOUT: "skip",
  EXTRACT_TOO_LARGE: "skip",
  // No extraction thread could start (its module failed to load): every page would fail the same
  // way, so the process stops rather than failing or holding its jobs one by one.
  EXTRACT_POOL_FAILED: "stop",
  // Storage.
  STORE_NOT_FOUND: "skip",
  STORE_BAD_CURSOR: "skip",
  STORE_SCHEMA_NEWER: "stop",
  STORE_MIGRATION_FAILED: "stop",
  STORE_UNAVAILABLE: "retry",
  // Queue and processes.
  QUEUE_UNAVAILABLE: "retry",
  QUEUE_JOB_NOT_FOUND: "skip",
  // Configuration and the machine.
  CONFIG_INVALID: "stop",
  DEPENDENCY_MISSING: "stop",
  // API.
  API_UNAUTHORIZED: "skip",
  API_FORBIDDEN: "skip",
  API_RATE_LIMITED: "retry",
  API_NOT_FOUND: "skip",
  API_BODY_TOO_LARGE: "skip",
  API_UNSUPPORTED_MEDIA_TYPE: "skip",
  // The request line or a path parameter is too long, or the headers too large: shorten them.
  API_URI_TOO_LONG: "skip",
  API_HEADERS_TOO_LARGE: "skip",
  // The request did not arrive within the server's request timeout (a slow or stalled client).
  API_REQUEST_TIMEOUT: "retry",
  // The server lacks what the route needs (no queue for re-fetches): the operator must configure it.
  API_NOT_CONFIGURED: "stop",
  // A bug or an unexpected failure on our side; details go to the log, never into the response.
  API_INTERNAL: "retry",
} as const satisfies Record<string, ErrorAction>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface CopydeskErrorOptions {
  /** For `retry` errors: how long the caller should wait before trying again, when the cause says. */
  retryAfterMs?: number;
  /** Small, JSON-safe facts that help a person understand the failure (status, url, limit…). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class CopydeskError extends Error {
  readonly code: ErrorCode;
  readonly action: ErrorAction;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: CopydeskErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CopydeskError";
    this.code = code;
    this.action = ERROR_CODES[code];
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }

  get retryable(): boolean {
    return this.action === "retry";
  }

  toJSON(): { code: ErrorCode; message: string; action: ErrorAction; retryAfterMs?: number } {
    const out: { code: ErrorCode; message: string; action: ErrorAction; retryAfterMs?: number } = {
      code: this.code,
      message: this.message,
      action: this.action,
    };
    if (this.retryAfterMs !== undefined) out.retryAfterMs = this.retryAfterMs;
    return out;
  }
}

export function isCopydeskError(value: unknown): value is CopydeskError {
  return value instanceof CopydeskError;
}

/** Whether `value` is a CopydeskError of `code`: how a caller singles out a failure it treats apart. */
export function hasErrorCode(value: unknown, code: ErrorCode): value is CopydeskError {
  return isCopydeskError(value) && value.code === code;
}
