import type { Config } from "../config.js";
import type { ConditionalValidators, FetchedPage } from "../domain/page.js";
import { type FetcherSettings, fetcherSettingsFromConfig, productToken } from "./fetcher-settings.js";
import { InMemoryHostPolicy } from "./host-policy.js";
import { readHtmlPage } from "./html-page.js";
import { createPoliteness, type Politeness } from "./politeness.js";
import { createRequester, type FinalResponse } from "./request.js";
import { RobotsCache } from "./robots.js";
import { createRobotsLoader } from "./robots-loader.js";

// What createFetcher takes, exported beside it for the callers that build one (runtime, CLI, benches).
export { type FetcherSettings, fetcherSettingsFromConfig } from "./fetcher-settings.js";

/**
 * fetchPage: one article URL in, one decoded HTML page out, the way a careful crawler does it.
 *
 * The result is a discriminated union, because a 304 is an answer, not a failure:
 *   { kind: "page", page }            a fresh 2xx HTML page;
 *   { kind: "not-modified", ... }     we sent the validators of the last snapshot and the server
 *                                     says nothing changed: keep the snapshot, do not re-extract.
 * Everything else throws a CopydeskError whose code and action say whether to retry.
 *
 * Every hop goes through the request step (request.ts): URL/address checks → robots.txt → per-host
 * slot (delay and concurrency, including Crawl-delay) → request with timeouts → redirects → status
 * handling; then, here, the Content-Type check → body with size/time limits → charset decoding.
 */
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

const ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1";

export function createFetcher(settings: FetcherSettings): Fetcher {
  const requester = createRequester(settings, Math.max(settings.hostConcurrency, 1) * 4);
  const robots = new RobotsCache({
    load: createRobotsLoader(requester, settings),
    userAgentToken: productToken(settings.userAgent),
    ttlMs: settings.robotsTtlMs,
  });
  const politeness = createPoliteness({
    robots: settings.respectRobots ? robots : null,
    hosts: settings.hostPolicy ?? new InMemoryHostPolicy({ concurrency: settings.hostConcurrency }),
    hostDelayMs: settings.hostDelayMs,
    maxCrawlDelayMs: settings.maxCrawlDelayMs,
  });

  async function fetchPage(input: string, options: FetchOptions = {}): Promise<FetchResult> {
    const started = performance.now();
    const headers: Record<string, string> = { accept: ACCEPT };
    const validators = options.validators;
    // Sent on every hop: a snapshot's validators came from its final URL, which is usually where the
    // redirects lead again; on any other URL they simply do not match.
    if (validators?.etag) headers["if-none-match"] = validators.etag;
    if (validators?.lastModified) headers["if-modified-since"] = validators.lastModified;
    const conditional = Boolean(validators?.etag || validators?.lastModified);
    const request = {
      headers,
      maxRedirects: settings.maxRedirects,
      politeness,
      isAnswer: (status: number) => status === 304 && conditional,
      signal: options.signal,
    };
    return requester.request(input, request, async (response): Promise<FetchResult> => {
      if (response.status === 304) return notModified(response, validators, started);
      const page = await readHtmlPage(response, settings.maxBodyBytes);
      page.elapsedMs = Math.round(performance.now() - started);
      return { kind: "page", page };
    });
  }

  return { fetchPage, politeness, close: () => requester.close() };
}

function notModified(
  response: FinalResponse,
  validators: ConditionalValidators | null | undefined,
  started: number,
): NotModified {
  return {
    kind: "not-modified",
    requestedUrl: response.requestedUrl.href,
    finalUrl: response.url.href,
    redirects: response.redirects,
    status: 304,
    headers: response.headers,
    etag: response.headers.etag ?? validators?.etag ?? null,
    lastModified: response.headers["last-modified"] ?? validators?.lastModified ?? null,
    fetchedAt: response.fetchedAt,
    elapsedMs: Math.round(performance.now() - started),
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
