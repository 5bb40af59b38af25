import type { Config } from "../config.js";
import type { HostResolver } from "./address-guard.js";
import type { HostPolicy } from "./host-policy.js";

/** What every request to a publisher is held to: who we say we are, the guard, politeness and limits. */
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

/** HTTP(S)_PROXY and NO_PROXY as config.ts read them. */
export interface ProxySettings {
  http: string | undefined;
  https: string | undefined;
  noProxy: string | undefined;
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
