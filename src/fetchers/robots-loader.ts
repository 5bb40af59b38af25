import { CopydeskError } from "../domain/errors.js";
import { toFetchError } from "./fetch-errors.js";
import type { FetcherSettings } from "./fetcher-settings.js";
import type { Requester } from "./request.js";
import type { RobotsLoader, RobotsLoadResult } from "./robots.js";

/** RFC 9309 asks crawlers to follow at least five redirects for robots.txt. */
const ROBOTS_MAX_REDIRECTS = 5;

/**
 * Fetches robots.txt through the same request step as pages (guard, timeouts, decoding), but not
 * through the politeness gate: it is one request per origin per TTL, and it decides the delay the
 * gate then applies. Every final status is an answer for the cache to read.
 */
export function createRobotsLoader(requester: Requester, settings: FetcherSettings): RobotsLoader {
  const options = {
    headers: { accept: "text/plain,*/*;q=0.1" },
    maxRedirects: ROBOTS_MAX_REDIRECTS,
    politeness: null,
    isAnswer: () => true,
  };

  return async (robotsUrl) => {
    try {
      return await requester.request<RobotsLoadResult>(robotsUrl, options, async (response) => {
        if (response.status >= 200 && response.status < 300) {
          const bytes = await response.readBody(settings.robotsMaxBytes, "truncate");
          return { kind: "found", text: bytes.toString("utf8") };
        }
        // 429 is "slow down", not "no rules": treat it like a server error, as major crawlers do.
        if (response.status >= 400 && response.status < 500 && response.status !== 429)
          return { kind: "missing", status: response.status };
        return { kind: "unavailable", reason: `HTTP ${response.status}` };
      });
    } catch (error) {
      const failure = toFetchError(error, robotsUrl, "headers");
      // RFC 9309 lets a crawler take more than five redirects as an unavailable file; a loop is that too.
      if (failure.code === "FETCH_TOO_MANY_REDIRECTS" || failure.code === "FETCH_REDIRECT_LOOP")
        return { kind: "unavailable", reason: failure.message };
      throw new CopydeskError(failure.code, `robots.txt: ${failure.message}`, {
        ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
        details: failure.details,
        cause: failure.cause,
      });
    }
  };
}
