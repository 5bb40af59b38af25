import type { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import type { Config } from "../config.js";
import { CopydeskError } from "../domain/errors.js";
import type { ConditionalValidators, FetchedPage } from "../domain/page.js";
import {
  type AddressGuardOptions,
  checkUrlTarget,
  type HostResolver,
  resolveCheckedAddresses,
} from "./address-guard.js";
import { abandonBody, readDecodedBody } from "./body.js";
import { decodeHtmlBytes } from "./charset.js";
import { createDispatcher, hasProxy, type ProxySettings } from "./dispatcher.js";
import { errorForStatus, toFetchError } from "./fetch-errors.js";
import { type HostPolicy, InMemoryHostPolicy, type ReleaseHost } from "./host-policy.js";
import { createPoliteness, type Politeness } from "./politeness.js";
import { parseRetryAfter } from "./retry-after.js";
import { RobotsCache, type RobotsLoadResult } from "./robots.js";

/**
 * fetchPage: one article URL in, one decoded HTML page out, the way a careful crawler does it.
 *
 * The result is a discriminated union, because a 304 is an answer, not a failure:
 *   { kind: "page", page }            a fresh 2xx HTML page;
 *   { kind: "not-modified", ... }     we sent the validators of the last snapshot and the server
 *                                     says nothing changed: keep the snapshot, do not re-extract.
 * Everything else throws a CopydeskError whose code and action say whether to retry.
 *
 * One fetch, in order, for the first URL and again for every redirect hop (handled here, not by
 * undici, so each hop is checked): URL/address checks → robots.txt → per-host slot (delay and
 * concurrency, including Crawl-delay) → request with connect/headers timeouts → status handling →
 * Content-Type check → body with size/time limits and content decoding → charset decoding.
 */
export interface FetcherSettings {
  /** The full User-Agent header: product, version and a contact URL. */
  userAgent: string;
  /** Host names or IPs the SSRF guard lets through (tests, local demos). */
  allowHosts: string[];
  /** Minimum time between two requests to one host; a longer Crawl-delay wins. */
  hostDelayMs: number;
  /** Requests in flight to one host (used by the default in-memory policy). */
  hostConcurrency: number;
  /** Limit on the body once content-decoded. */
  maxBodyBytes: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  /** Wall-clock limit on reading the whole body. */
  bodyTimeoutMs: number;
  maxRedirects: number;
  /** Cap on Retry-After and Crawl-delay we honour. */
  maxRetryAfterMs: number;
  maxCrawlDelayMs: number;
  /** Back-off reported for a 429 without Retry-After. */
  defaultRateLimitMs: number;
  respectRobots: boolean;
  robotsTtlMs: number;
  robotsMaxBytes: number;
  proxy: ProxySettings;
  /** Shared politeness state; defaults to an in-memory policy (the direct CLI path). */
  hostPolicy?: HostPolicy;
  /** DNS for the SSRF guard; tests pass a fake one. */
  resolve?: HostResolver;
}

export const DEFAULT_FETCHER_SETTINGS = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 30_000,
  maxRedirects: 5,
  maxRetryAfterMs: 60 * 60 * 1000,
  maxCrawlDelayMs: 60_000,
  defaultRateLimitMs: 60_000,
  respectRobots: true,
  robotsTtlMs: 24 * 60 * 60 * 1000,
  robotsMaxBytes: 500 * 1024,
} as const;

export function fetcherSettingsFromConfig(
  config: Config,
  overrides: Partial<FetcherSettings> = {},
): FetcherSettings {
  return {
    ...DEFAULT_FETCHER_SETTINGS,
    userAgent: userAgentWithContact(config.userAgent, config.contactUrl),
    allowHosts: config.allowHosts,
    hostDelayMs: config.hostDelayMs,
    hostConcurrency: config.hostConcurrency,
    maxBodyBytes: config.maxBodyBytes,
    proxy: config.proxy,
    ...overrides,
  };
}

/** A User-Agent must say who we are and where to complain: add the contact URL when it is missing. */
export function userAgentWithContact(userAgent: string, contactUrl: string): string {
  return userAgent.includes(contactUrl) ? userAgent : `${userAgent} (+${contactUrl})`;
}

/** The token robots.txt groups are matched against: the product name at the start of the User-Agent. */
export function productToken(userAgent: string): string {
  return /^[^\s/(]+/.exec(userAgent.trim())?.[0] ?? "copydesk";
}

export interface FetchOptions {
  /** Validators from the last snapshot of this URL: sent as If-None-Match / If-Modified-Since. */
  validators?: ConditionalValidators | null;
  signal?: AbortSignal;
}

export interface NotModified {
  kind: "not-modified";
  requestedUrl: string;
  finalUrl: string;
  redirects: string[];
  status: 304;
  headers: Record<string, string>;
  etag: string | null;
  lastModified: string | null;
  fetchedAt: string;
  elapsedMs: number;
}

export type FetchResult = { kind: "page"; page: FetchedPage } | NotModified;

export interface Fetcher {
  fetchPage(url: string, options?: FetchOptions): Promise<FetchResult>;
  /** Its robots cache and host policy: other requests to publishers (discovery) go through them too. */
  readonly politeness: Politeness;
  /** Closes idle connections; in-flight fetches finish first. */
  close(): Promise<void>;
}

const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1";
const ACCEPT_ENCODING = "gzip, deflate, br";
/** A redirect or error body is read this far (to keep the connection reusable), then dropped. */
const DISCARD_LIMIT_BYTES = 64 * 1024;

interface Hop {
  url: URL;
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

/** The SSRF guard and the guarded undici client that every fetch of these settings goes through. */
export function createGuardedClient(
  settings: FetcherSettings,
  connectionsPerOrigin: number,
): { guard: AddressGuardOptions; dispatcher: Dispatcher } {
  const guard: AddressGuardOptions = {
    allowHosts: settings.allowHosts,
    ...(settings.resolve ? { resolve: settings.resolve } : {}),
  };
  const dispatcher = createDispatcher({
    guard,
    connectTimeoutMs: settings.connectTimeoutMs,
    headersTimeoutMs: settings.headersTimeoutMs,
    bodyIdleTimeoutMs: settings.bodyTimeoutMs,
    connectionsPerOrigin,
    proxy: settings.proxy,
  });
  return { guard, dispatcher };
}

export function createFetcher(settings: FetcherSettings): Fetcher {
  const { guard, dispatcher } = createGuardedClient(settings, Math.max(settings.hostConcurrency, 1) * 4);
  const policy = settings.hostPolicy ?? new InMemoryHostPolicy({ concurrency: settings.hostConcurrency });
  const proxied = hasProxy(settings.proxy);
  const statusLimits = {
    maxRetryAfterMs: settings.maxRetryAfterMs,
    defaultRateLimitMs: settings.defaultRateLimitMs,
  };

  /** Sends one GET and waits for the headers; the caller owns the body from then on. */
  async function send(
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<Hop> {
    if (proxied) await resolveCheckedAddresses(url.hostname, guard);
    let response: Dispatcher.ResponseData;
    try {
      response = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers,
        headersTimeout: settings.headersTimeoutMs,
        bodyTimeout: settings.bodyTimeoutMs,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw toFetchError(error, url.href, "headers");
    }
    return {
      url,
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: response.body,
    };
  }

  async function loadRobots(robotsUrl: string): Promise<RobotsLoadResult> {
    try {
      return await loadRobotsOnce(robotsUrl);
    } catch (error) {
      const failure = toFetchError(error, robotsUrl, "headers");
      throw new CopydeskError(failure.code, `robots.txt: ${failure.message}`, {
        ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
        details: failure.details,
        cause: failure.cause,
      });
    }
  }

  /**
   * robots.txt goes through the same guard, timeouts and decoding as pages, but not through the host
   * policy: it is one request per origin per TTL, and it decides the delay the policy then applies.
   */
  async function loadRobotsOnce(robotsUrl: string): Promise<RobotsLoadResult> {
    let url = checkUrlTarget(robotsUrl, undefined, guard);
    const headers = {
      "user-agent": settings.userAgent,
      accept: "text/plain,*/*;q=0.1",
      "accept-encoding": ACCEPT_ENCODING,
    };
    // RFC 9309 asks crawlers to follow at least five redirects for robots.txt.
    for (let redirects = 0; ; redirects++) {
      const hop = await send(url, headers, undefined);
      const location = hop.headers.location;
      if (REDIRECT_STATUSES.has(hop.status) && location && redirects < 5) {
        await discardBody(hop.body);
        url = checkUrlTarget(location, url.href, guard);
        continue;
      }
      if (hop.status >= 200 && hop.status < 300) {
        const bytes = await readDecodedBody(
          hop.body,
          hop.headers["content-encoding"] ?? null,
          { maxBytes: settings.robotsMaxBytes, timeoutMs: settings.bodyTimeoutMs, overLimit: "truncate" },
          url.href,
        );
        return { kind: "found", text: bytes.toString("utf8") };
      }
      await discardBody(hop.body);
      // 429 is "slow down", not "no rules": treat it like a server error, as major crawlers do.
      if (hop.status >= 400 && hop.status < 500 && hop.status !== 429)
        return { kind: "missing", status: hop.status };
      return { kind: "unavailable", reason: `HTTP ${hop.status}` };
    }
  }

  const robots = new RobotsCache({
    load: loadRobots,
    userAgentToken: productToken(settings.userAgent),
    ttlMs: settings.robotsTtlMs,
  });

  const politeness = createPoliteness({
    robots: settings.respectRobots ? robots : null,
    hosts: policy,
    hostDelayMs: settings.hostDelayMs,
    maxCrawlDelayMs: settings.maxCrawlDelayMs,
  });

  async function fetchPage(input: string, options: FetchOptions = {}): Promise<FetchResult> {
    const started = performance.now();
    const requestedUrl = checkUrlTarget(input, undefined, guard);
    const headers: Record<string, string> = {
      "user-agent": settings.userAgent,
      accept: ACCEPT,
      "accept-encoding": ACCEPT_ENCODING,
    };
    const validators = options.validators;
    // Sent on every hop: a snapshot's validators came from its final URL, which is usually where the
    // redirects lead again; on any other URL they simply do not match.
    if (validators?.etag) headers["if-none-match"] = validators.etag;
    if (validators?.lastModified) headers["if-modified-since"] = validators.lastModified;
    const conditional = Boolean(validators?.etag || validators?.lastModified);

    const redirects: string[] = [];
    const visited = new Set([withoutHash(requestedUrl)]);
    let url = requestedUrl;
    for (;;) {
      const release: ReleaseHost = await politeness.admit(url, options.signal);
      let hop: Hop | undefined;
      try {
        hop = await send(url, headers, options.signal);
        const fetchedAt = new Date().toISOString();
        const location = hop.headers.location;
        if (REDIRECT_STATUSES.has(hop.status) && location) {
          await discardBody(hop.body);
          if (redirects.length >= settings.maxRedirects) {
            throw new CopydeskError(
              "FETCH_TOO_MANY_REDIRECTS",
              `more than ${settings.maxRedirects} redirects`,
              {
                details: { requestedUrl: requestedUrl.href, redirects },
              },
            );
          }
          const next = checkUrlTarget(location, url.href, guard);
          if (visited.has(withoutHash(next))) {
            throw new CopydeskError("FETCH_REDIRECT_LOOP", `redirect loop back to ${next.href}`, {
              details: { requestedUrl: requestedUrl.href, redirects: [...redirects, next.href] },
            });
          }
          visited.add(withoutHash(next));
          redirects.push(next.href);
          url = next;
          continue;
        }
        if (hop.status === 304 && conditional) {
          await discardBody(hop.body);
          return {
            kind: "not-modified",
            requestedUrl: requestedUrl.href,
            finalUrl: url.href,
            redirects,
            status: 304,
            headers: hop.headers,
            etag: hop.headers.etag ?? validators?.etag ?? null,
            lastModified: hop.headers["last-modified"] ?? validators?.lastModified ?? null,
            fetchedAt,
            elapsedMs: Math.round(performance.now() - started),
          };
        }
        if (hop.status < 200 || hop.status >= 300) {
          abandonBody(hop.body);
          if (hop.status === 429 || hop.status === 503) {
            const wait = parseRetryAfter(hop.headers["retry-after"], settings.maxRetryAfterMs);
            if (wait !== null || hop.status === 429)
              politeness.backoff(url.host, wait ?? settings.defaultRateLimitMs);
          }
          throw errorForStatus(hop.status, hop.headers["retry-after"] ?? null, url.href, statusLimits);
        }
        const page = await readPage(hop, requestedUrl, redirects, fetchedAt);
        page.elapsedMs = Math.round(performance.now() - started);
        return { kind: "page", page };
      } catch (error) {
        if (hop && !hop.body.destroyed) abandonBody(hop.body);
        if (options.signal?.aborted) throw options.signal.reason;
        throw toFetchError(error, url.href, "body");
      } finally {
        release();
      }
    }
  }

  async function readPage(
    hop: Hop,
    requestedUrl: URL,
    redirects: string[],
    fetchedAt: string,
  ): Promise<FetchedPage> {
    const contentTypeHeader = hop.headers["content-type"] ?? null;
    const mimeType = mimeTypeOf(contentTypeHeader);
    if (mimeType !== null && !HTML_TYPES.has(mimeType)) {
      abandonBody(hop.body);
      throw notAnArticle(hop.url.href, mimeType);
    }
    const declaredLength = Number(hop.headers["content-length"]);
    if (!hop.headers["content-encoding"] && declaredLength > settings.maxBodyBytes) {
      abandonBody(hop.body);
      throw new CopydeskError(
        "FETCH_BODY_TOO_LARGE",
        `${hop.url.host} announces ${declaredLength} bytes, over the ${settings.maxBodyBytes} byte limit`,
        { details: { url: hop.url.href, limitBytes: settings.maxBodyBytes, contentLength: declaredLength } },
      );
    }
    const raw = await readDecodedBody(
      hop.body,
      hop.headers["content-encoding"] ?? null,
      { maxBytes: settings.maxBodyBytes, timeoutMs: settings.bodyTimeoutMs, overLimit: "error" },
      hop.url.href,
    );
    if (mimeType === null && !looksLikeHtml(raw))
      throw notAnArticle(hop.url.href, "no Content-Type, not HTML");
    let decoded: { html: string; charset: string };
    try {
      decoded = decodeHtmlBytes(raw, contentTypeHeader);
    } catch (error) {
      throw new CopydeskError("FETCH_DECODE", `could not decode the page from ${hop.url.host}`, {
        details: { url: hop.url.href },
        cause: error,
      });
    }
    return {
      requestedUrl: requestedUrl.href,
      finalUrl: hop.url.href,
      redirects: [...redirects],
      status: hop.status,
      headers: hop.headers,
      html: decoded.html,
      charset: decoded.charset,
      contentType: mimeType ?? "text/html",
      etag: hop.headers.etag ?? null,
      lastModified: hop.headers["last-modified"] ?? null,
      fetchedAt,
      bytes: raw.byteLength,
      elapsedMs: 0,
      raw,
    };
  }

  return {
    fetchPage,
    politeness,
    close: () => dispatcher.close(),
  };
}

/**
 * Fetches one URL with a fetcher built from `config` and closes it: for one-off callers (the CLI).
 * Anything fetching more than once should keep one fetcher from createFetcher.
 */
export async function fetchPageOnce(
  url: string,
  config: Config,
  options: FetchOptions & { overrides?: Partial<FetcherSettings> } = {},
): Promise<FetchResult> {
  const fetcher = createFetcher(fetcherSettingsFromConfig(config, options.overrides));
  try {
    return await fetcher.fetchPage(url, options);
  } finally {
    await fetcher.close();
  }
}

function notAnArticle(url: string, what: string): CopydeskError {
  return new CopydeskError("FETCH_NOT_HTML", `not an article: ${url} is ${what}, not HTML`, {
    details: { url, contentType: what },
  });
}

/** The lower-case MIME type of a Content-Type value, or null when there is none. */
function mimeTypeOf(contentType: string | null): string | null {
  const essence = contentType?.split(";")[0]?.trim().toLowerCase();
  return essence ? essence : null;
}

/** For responses without a Content-Type: HTML starts with markup, after an optional BOM and blanks. */
function looksLikeHtml(bytes: Buffer): boolean {
  const start = bytes
    .subarray(0, 512)
    .toString("latin1")
    .replace(/^(\xef\xbb\xbf|\xff\xfe|\xfe\xff)/, "");
  return /^\s*</.test(start.replace(/\0/g, ""));
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

/** Reads a little of a body we do not need, so the connection can be reused, within a time bound. */
async function discardBody(body: Readable): Promise<void> {
  const dumpable = body as Readable & {
    dump?: (options: { limit: number; signal?: AbortSignal }) => Promise<void>;
  };
  if (typeof dumpable.dump !== "function") {
    abandonBody(body);
    return;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 1000);
  try {
    await dumpable.dump({ limit: DISCARD_LIMIT_BYTES, signal: controller.signal });
  } catch {
    abandonBody(body);
  } finally {
    clearTimeout(timer);
  }
}
