import type { Dispatcher } from "undici";
import { CopydeskError } from "../../domain/errors.js";
import { checkUrlTarget, resolveCheckedAddresses } from "../address-guard.js";
import { readDecodedBody } from "../body.js";
import { hasProxy } from "../dispatcher.js";
import { errorForStatus, toFetchError } from "../fetch-errors.js";
import { createGuardedClient, type FetcherSettings } from "../fetch-page.js";
import type { Politeness } from "../politeness.js";
import { parseRetryAfter } from "../retry-after.js";

/**
 * Fetches a discovery document (feed, sitemap, listing page) with the same guarded client and the
 * same politeness as article fetches: the article fetcher's own robots.txt cache and host policy,
 * handed in as `politeness`, for every hop. fetchPage only accepts HTML; feeds are XML or JSON,
 * so this is a second, smaller entry point over the same pieces. Bodies are read as UTF-8, which
 * feeds, sitemaps and JSON Feed are in practice (XML declares otherwise very rarely).
 */
export interface DocumentFetcher {
  fetchDocument(url: string, signal?: AbortSignal): Promise<FetchedDocument>;
  close(): Promise<void>;
}

export interface FetchedDocument {
  url: string;
  finalUrl: string;
  contentType: string | null;
  text: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

export function createDocumentFetcher(settings: FetcherSettings, politeness: Politeness): DocumentFetcher {
  const { guard, dispatcher } = createGuardedClient(settings, 2);
  const headers = {
    "user-agent": settings.userAgent,
    accept:
      "application/rss+xml,application/atom+xml,application/feed+json,application/xml,text/xml,text/html;q=0.9,*/*;q=0.5",
    "accept-encoding": "gzip, deflate, br",
  };

  async function fetchDocument(input: string, signal?: AbortSignal): Promise<FetchedDocument> {
    let url = checkUrlTarget(input, undefined, guard);
    for (let hops = 0; ; hops++) {
      const release = await politeness.admit(url, signal);
      try {
        if (hasProxy(settings.proxy)) await resolveCheckedAddresses(url.hostname, guard);
        let response: Dispatcher.ResponseData;
        try {
          response = await dispatcher.request({
            origin: url.origin,
            path: `${url.pathname}${url.search}`,
            method: "GET",
            headers,
            ...(signal ? { signal } : {}),
          });
        } catch (error) {
          throw toFetchError(error, url.href, "headers");
        }
        const status = response.statusCode;
        const header = (name: string): string | null => {
          const value = response.headers[name];
          return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
        };
        const location = header("location");
        if (REDIRECTS.has(status) && location) {
          response.body.destroy();
          if (hops >= MAX_REDIRECTS) {
            throw new CopydeskError("FETCH_TOO_MANY_REDIRECTS", `more than ${MAX_REDIRECTS} redirects`, {
              details: { url: input },
            });
          }
          url = checkUrlTarget(location, url.href, guard);
          continue;
        }
        if (status < 200 || status >= 300) {
          response.body.destroy();
          const retryAfter = header("retry-after");
          if (status === 429 || status === 503) {
            const wait = parseRetryAfter(retryAfter, settings.maxRetryAfterMs);
            if (wait !== null) politeness.backoff(url.host, wait);
          }
          throw errorForStatus(status, retryAfter, url.href, {
            maxRetryAfterMs: settings.maxRetryAfterMs,
            defaultRateLimitMs: settings.defaultRateLimitMs,
          });
        }
        const raw = await readDecodedBody(
          response.body,
          header("content-encoding"),
          { maxBytes: settings.maxBodyBytes, timeoutMs: settings.bodyTimeoutMs, overLimit: "error" },
          url.href,
        );
        return {
          url: input,
          finalUrl: url.href,
          contentType: header("content-type"),
          text: raw.toString("utf8"),
        };
      } finally {
        release();
      }
    }
  }

  return { fetchDocument, close: () => dispatcher.close() };
}
