import type { Source } from "../../domain/source.js";
import { type DiscoveredUrl, urlsFromFeed } from "./feeds.js";
import type { DocumentFetcher } from "./fetch-document.js";
import { urlsFromListing } from "./listing.js";
import { readSitemap } from "./sitemaps.js";

/** A sitemap index names at most this many child sitemaps we read per poll (newest are listed first). */
const MAX_CHILD_SITEMAPS = 10;

/** The article URLs a source lists right now, at most `source.maxItems`, in the document's order. */
export async function discoverSource(
  source: Source,
  fetcher: DocumentFetcher,
  signal?: AbortSignal,
): Promise<DiscoveredUrl[]> {
  const document = await fetcher.fetchDocument(source.url, signal);
  let urls: DiscoveredUrl[];
  if (source.kind === "feed") {
    urls = urlsFromFeed(document.text, document.finalUrl);
  } else if (source.kind === "listing") {
    urls = urlsFromListing(document.text, document.finalUrl, source.itemSelector);
  } else {
    const top = readSitemap(document.text, document.finalUrl);
    urls = [...top.urls];
    for (const child of top.sitemaps.slice(0, MAX_CHILD_SITEMAPS)) {
      if (urls.length >= source.maxItems) break;
      const childDocument = await fetcher.fetchDocument(child, signal);
      // One level only: an index of indexes is not something news sites publish.
      urls.push(...readSitemap(childDocument.text, childDocument.finalUrl).urls);
    }
  }
  return urls.slice(0, source.maxItems);
}
