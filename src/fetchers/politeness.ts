import { CopydeskError } from "../domain/errors.js";
import type { HostPolicy, ReleaseHost } from "./host-policy.js";
import type { RobotsCache } from "./robots.js";

/**
 * The gate every request to a publisher passes, article or discovery document alike: robots.txt
 * first, then a slot on the host (concurrency, and a delay that a longer Crawl-delay extends).
 * Built once per fetcher and shared with the discovery fetcher, so both read one robots cache and
 * one host policy.
 */
export interface Politeness {
  /**
   * Waits for a slot on `url`'s host and returns the function that gives it back. Throws
   * FETCH_ROBOTS_DISALLOWED when robots.txt forbids the URL, FETCH_ROBOTS_UNAVAILABLE when the
   * file could not be read (retry later), and whatever the host policy throws while waiting.
   */
  admit(url: URL, signal?: AbortSignal): Promise<ReleaseHost>;
  /** The host asked us to back off (429/503 Retry-After). */
  backoff(host: string, delayMs: number): void;
}

export interface PolitenessOptions {
  /** Null when robots.txt is not consulted (an operator's explicit choice). */
  robots: RobotsCache | null;
  hosts: HostPolicy;
  hostDelayMs: number;
  maxCrawlDelayMs: number;
}

export function createPoliteness(options: PolitenessOptions): Politeness {
  const { robots, hosts } = options;

  async function delayFor(url: URL): Promise<number> {
    if (!robots) return options.hostDelayMs;
    const verdict = await robots.check(url);
    if (!verdict.allowed) {
      throw new CopydeskError(
        "FETCH_ROBOTS_DISALLOWED",
        `robots.txt of ${url.host} disallows ${url.pathname}`,
        { details: { url: url.href } },
      );
    }
    const crawlDelay = Math.min(verdict.crawlDelayMs ?? 0, options.maxCrawlDelayMs);
    return Math.max(options.hostDelayMs, crawlDelay);
  }

  return {
    async admit(url, signal) {
      return hosts.acquire(url.host, await delayFor(url), signal);
    },
    backoff: (host, delayMs) => hosts.backoff(host, delayMs),
  };
}
