import type { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { CopydeskError } from "../domain/errors.js";
import { checkUrlTarget, resolveCheckedAddresses } from "./address-guard.js";
import { abandonBody, type BodyLimits, drainBody, readDecodedBody } from "./body.js";
import { createGuardedClient, hasProxy } from "./dispatcher.js";
import { errorForStatus, toFetchError } from "./fetch-errors.js";
import type { FetcherSettings } from "./fetcher-settings.js";
import type { ReleaseHost } from "./host-policy.js";
import type { Politeness } from "./politeness.js";

/**
 * The one request step every request to a publisher goes through: article pages, robots.txt and
 * discovery documents. For the first URL and again for every redirect hop (followed here, not by
 * undici, so each hop is checked): URL/address checks → the politeness gate (robots.txt, a host slot)
 * → GET with connect/headers timeouts → redirects, with a limit and a loop check → a status that is
 * not an answer becomes a typed error (and a host back-off on 429/503) → the caller reads the body
 * within its limits while the host slot is still held. A body nobody read is drained, so the
 * connection is reused; an error's body is dropped.
 */
export interface RequestOptions {
  /** Accept and the like; User-Agent and Accept-Encoding are the step's own. */
  headers: Record<string, string>;
  maxRedirects: number;
  /** The gate every hop passes; null for robots.txt itself, which decides the gate's delay. */
  politeness: Politeness | null;
  /** Non-2xx statuses the caller reads as answers, not failures (a 304 to a conditional GET). */
  isAnswer?: (status: number) => boolean;
  signal?: AbortSignal | undefined;
}

/** The response a request ended on, after its redirects. */
export interface FinalResponse {
  requestedUrl: URL;
  url: URL;
  /** Every URL redirected to, in order. */
  redirects: string[];
  status: number;
  /** Lower-case names; repeated headers joined. */
  headers: Record<string, string>;
  fetchedAt: string;
  /** The body, content-decoded, within `maxBytes` and the settings' whole-body deadline. */
  readBody(maxBytes: number, overLimit: BodyLimits["overLimit"]): Promise<Buffer>;
}

export interface Requester {
  /** Requests `url` and hands the final response to `read`; what `read` returns is the result. */
  request<T>(url: string, options: RequestOptions, read: (response: FinalResponse) => Promise<T>): Promise<T>;
  /** Closes idle connections; in-flight requests finish first. */
  close(): Promise<void>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** What readDecodedBody undoes. */
const ACCEPT_ENCODING = "gzip, deflate, br";

interface Hop {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

export function createRequester(settings: FetcherSettings, connectionsPerOrigin: number): Requester {
  const { guard, dispatcher } = createGuardedClient(settings, connectionsPerOrigin);
  const proxied = hasProxy(settings.proxy);
  const statusLimits = {
    maxRetryAfterMs: settings.maxRetryAfterMs,
    defaultRateLimitMs: settings.defaultRateLimitMs,
  };

  /** Sends one GET and waits for the headers; the caller owns the body from then on. */
  async function send(url: URL, options: RequestOptions): Promise<Hop> {
    if (proxied) await resolveCheckedAddresses(url.hostname, guard);
    let response: Dispatcher.ResponseData;
    try {
      response = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers: { "user-agent": settings.userAgent, "accept-encoding": ACCEPT_ENCODING, ...options.headers },
        headersTimeout: settings.headersTimeoutMs,
        bodyTimeout: settings.bodyTimeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw toFetchError(error, url.href, "headers");
    }
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body: response.body };
  }

  async function request<T>(
    input: string,
    options: RequestOptions,
    read: (response: FinalResponse) => Promise<T>,
  ): Promise<T> {
    const requestedUrl = checkUrlTarget(input, undefined, guard);
    const redirects: string[] = [];
    const visited = new Set([withoutHash(requestedUrl)]);
    let url = requestedUrl;
    for (;;) {
      const release: ReleaseHost = options.politeness
        ? await options.politeness.admit(url, options.signal)
        : () => {};
      let sent: Hop | undefined;
      try {
        const hop = await send(url, options);
        sent = hop;
        const fetchedAt = new Date().toISOString();
        const location = hop.headers.location;
        if (REDIRECT_STATUSES.has(hop.status) && location) {
          await drainBody(hop.body);
          url = nextHop(requestedUrl, url, location, redirects, visited, options.maxRedirects);
          continue;
        }
        const isSuccess = hop.status >= 200 && hop.status < 300;
        if (!isSuccess && !options.isAnswer?.(hop.status)) {
          abandonBody(hop.body);
          throw failureForStatus(hop, url, options.politeness);
        }
        const result = await read({
          requestedUrl,
          url,
          redirects: [...redirects],
          status: hop.status,
          headers: hop.headers,
          fetchedAt,
          readBody: (maxBytes, overLimit) => readBody(hop, url, { maxBytes, overLimit }),
        });
        if (!hop.body.destroyed && !hop.body.readableEnded) await drainBody(hop.body);
        return result;
      } catch (error) {
        if (sent && !sent.body.destroyed) abandonBody(sent.body);
        if (options.signal?.aborted) throw options.signal.reason;
        throw toFetchError(error, url.href, "body");
      } finally {
        release();
      }
    }
  }

  /** Checks a redirect's target and records it; throws past the limit or on a URL already visited. */
  function nextHop(
    requestedUrl: URL,
    url: URL,
    location: string,
    redirects: string[],
    visited: Set<string>,
    maxRedirects: number,
  ): URL {
    if (redirects.length >= maxRedirects) {
      throw new CopydeskError("FETCH_TOO_MANY_REDIRECTS", `more than ${maxRedirects} redirects`, {
        details: { requestedUrl: requestedUrl.href, redirects },
      });
    }
    const next = checkUrlTarget(location, url.href, guard);
    if (visited.has(withoutHash(next))) {
      throw new CopydeskError("FETCH_REDIRECT_LOOP", `redirect loop back to ${next.href}`, {
        details: { requestedUrl: requestedUrl.href, redirects: [...redirects, next.href] },
      });
    }
    visited.add(withoutHash(next));
    redirects.push(next.href);
    return next;
  }

  /** The typed error for a status; a host that asks us to slow down is backed off first. */
  function failureForStatus(hop: Hop, url: URL, politeness: Politeness | null): CopydeskError {
    // The Retry-After header is read once, so the host's backoff and the error's wait are the same
    // number (an HTTP-date read twice gives two waits a millisecond apart).
    const error = errorForStatus(hop.status, hop.headers["retry-after"] ?? null, url.href, statusLimits);
    if (politeness && (hop.status === 429 || hop.status === 503) && error.retryAfterMs !== undefined)
      politeness.backoff(url.host, error.retryAfterMs);
    return error;
  }

  async function readBody(hop: Hop, url: URL, limits: Omit<BodyLimits, "timeoutMs">): Promise<Buffer> {
    const encoding = hop.headers["content-encoding"] ?? null;
    const declaredLength = Number(hop.headers["content-length"]);
    if (limits.overLimit === "error" && !encoding && declaredLength > limits.maxBytes) {
      abandonBody(hop.body);
      throw new CopydeskError(
        "FETCH_BODY_TOO_LARGE",
        `${url.host} announces ${declaredLength} bytes, over the ${limits.maxBytes} byte limit`,
        { details: { url: url.href, limitBytes: limits.maxBytes, contentLength: declaredLength } },
      );
    }
    return readDecodedBody(hop.body, encoding, { ...limits, timeoutMs: settings.bodyTimeoutMs }, url.href);
  }

  return { request, close: () => dispatcher.close() };
}

function withoutHash(url: URL): string {
  return url.href.replace(/#.*$/, "");
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value)
      ? value.join(name.toLowerCase() === "set-cookie" ? "\n" : ", ")
      : value;
  }
  return flat;
}
