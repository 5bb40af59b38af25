import type { FetcherSettings } from "../fetcher-settings.js";
import type { Politeness } from "../politeness.js";
import { createRequester } from "../request.js";

/**
 * Fetches a discovery document (feed, sitemap, listing page) through the same request step as
 * article fetches, and with their politeness: the article fetcher's own robots.txt cache and host
 * policy, handed in as `politeness`, for every hop. fetchPage only accepts HTML; feeds are XML or
 * JSON, so this is a second, smaller entry point over the same pieces. Bodies are read as UTF-8,
 * which feeds, sitemaps and JSON Feed are in practice (XML declares otherwise very rarely).
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

const ACCEPT =
  "application/rss+xml,application/atom+xml,application/feed+json,application/xml,text/xml,text/html;q=0.9,*/*;q=0.5";
const MAX_REDIRECTS = 5;

export function createDocumentFetcher(settings: FetcherSettings, politeness: Politeness): DocumentFetcher {
  const requester = createRequester(settings, 2);

  async function fetchDocument(input: string, signal?: AbortSignal): Promise<FetchedDocument> {
    const request = { headers: { accept: ACCEPT }, maxRedirects: MAX_REDIRECTS, politeness, signal };
    return requester.request(input, request, async (response) => {
      const raw = await response.readBody(settings.maxBodyBytes, "error");
      return {
        url: input,
        finalUrl: response.url.href,
        contentType: response.headers["content-type"] ?? null,
        text: raw.toString("utf8"),
      };
    });
  }

  return { fetchDocument, close: () => requester.close() };
}
