import robotsParserModule from "robots-parser";
import { CopydeskError } from "../domain/errors.js";

// robots-parser is CommonJS (`module.exports = function`) but its types declare an ES default
// export, so under NodeNext TypeScript sees the namespace where Node hands us the function.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

/**
 * robots.txt per origin, cached with a TTL, following RFC 9309:
 * - 2xx: the rules apply (robots-parser does the matching);
 * - 4xx: there are no rules, everything is allowed;
 * - 5xx (and 429): the whole origin is disallowed for now. That is a "retry later"
 *   (FETCH_ROBOTS_UNAVAILABLE), cached for a shorter time than a real answer;
 * - unreachable (the loader throws a typed network error): that error reaches the caller, who
 *   retries later, which is the same "disallow for now" without hiding the cause.
 *
 * Fetching the file is not this module's job: the fetcher passes a loader that goes through the
 * same guarded client (SSRF checks, timeouts, size limit) as every other request.
 */
export type RobotsLoadResult =
  | { kind: "found"; text: string }
  | { kind: "missing"; status: number }
  | { kind: "unavailable"; reason: string };

export type RobotsLoader = (robotsUrl: string) => Promise<RobotsLoadResult>;

export interface RobotsVerdict {
  allowed: boolean;
  /** Crawl-delay for our user agent, in milliseconds, when the file sets one. */
  crawlDelayMs: number | null;
}

export interface RobotsCacheOptions {
  load: RobotsLoader;
  /** The product token matched against User-agent lines, e.g. "copydesk". */
  userAgentToken: string;
  /** RFC 9309 says a cached copy should not be used for more than 24 hours. */
  ttlMs?: number;
  /** How long an unavailable robots.txt keeps the origin closed before we ask again. */
  unavailableTtlMs?: number;
  maxEntries?: number;
}

interface Rules {
  isAllowed(url: string): boolean;
  crawlDelayMs: number | null;
}

type Entry = { expiresAt: number; rules: Rules } | { expiresAt: number; unavailable: string };

const ALLOW_ALL: Rules = { isAllowed: () => true, crawlDelayMs: null };

export class RobotsCache {
  readonly #options: Required<RobotsCacheOptions>;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<Entry>>();

  constructor(options: RobotsCacheOptions) {
    this.#options = {
      ttlMs: 24 * 60 * 60 * 1000,
      unavailableTtlMs: 5 * 60 * 1000,
      maxEntries: 10_000,
      ...options,
    };
  }

  /** Whether `url` may be fetched; throws FETCH_ROBOTS_UNAVAILABLE when the origin's robots.txt failed. */
  async check(url: URL): Promise<RobotsVerdict> {
    const entry = await this.#entryFor(url.origin);
    if ("unavailable" in entry) {
      throw new CopydeskError(
        "FETCH_ROBOTS_UNAVAILABLE",
        `robots.txt of ${url.origin} is unavailable (${entry.unavailable}): not fetching from it for now`,
        { retryAfterMs: Math.max(0, entry.expiresAt - Date.now()), details: { origin: url.origin } },
      );
    }
    return { allowed: entry.rules.isAllowed(url.href), crawlDelayMs: entry.rules.crawlDelayMs };
  }

  /** Forgets everything (tests, or an operator who just changed a site's rules). */
  clear(): void {
    this.#entries.clear();
  }

  async #entryFor(origin: string): Promise<Entry> {
    const cached = this.#entries.get(origin);
    if (cached && cached.expiresAt > Date.now()) return cached;
    const pending = this.#loading.get(origin);
    if (pending) return pending;
    const loading = this.#load(origin).finally(() => this.#loading.delete(origin));
    this.#loading.set(origin, loading);
    return loading;
  }

  async #load(origin: string): Promise<Entry> {
    const robotsUrl = `${origin}/robots.txt`;
    let result: RobotsLoadResult;
    try {
      result = await this.#options.load(robotsUrl);
    } catch (error) {
      // Typed failures to reach the origin at all (DNS, refused connection, blocked address, timeout)
      // say more than "robots.txt unavailable" would, and the page fetch could not succeed either:
      // they go to the caller as they are, uncached.
      if (error instanceof CopydeskError) throw error;
      result = { kind: "unavailable", reason: error instanceof Error ? error.message : String(error) };
    }
    const now = Date.now();
    let entry: Entry;
    if (result.kind === "found") {
      entry = { expiresAt: now + this.#options.ttlMs, rules: this.#parse(robotsUrl, result.text) };
    } else if (result.kind === "missing") {
      entry = { expiresAt: now + this.#options.ttlMs, rules: ALLOW_ALL };
    } else {
      entry = { expiresAt: now + this.#options.unavailableTtlMs, unavailable: result.reason };
    }
    if (this.#entries.size >= this.#options.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.delete(origin);
    this.#entries.set(origin, entry);
    return entry;
  }

  #parse(robotsUrl: string, text: string): Rules {
    const robot = robotsParser(robotsUrl, text);
    const token = this.#options.userAgentToken;
    const delay = robot.getCrawlDelay(token);
    return {
      // robots-parser answers undefined for a URL of another origin: never the case here.
      isAllowed: (url) => robot.isAllowed(url, token) !== false,
      crawlDelayMs: typeof delay === "number" && Number.isFinite(delay) && delay > 0 ? delay * 1000 : null,
    };
  }
}
