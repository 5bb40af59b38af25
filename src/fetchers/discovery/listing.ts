import * as cheerio from "cheerio";
import { absoluteUnique, type DiscoveredUrl } from "./feeds.js";

/**
 * Item links of an aggregator listing page (NewsBite and the like): each item links to the
 * aggregator's copy of a story, and that copy names its original ("Original URL:"), which the article
 * job follows. Without a selector, links inside <article> elements are the items, which is how
 * listing pages of this kind mark them up; the first link of each item wins (headline before
 * "read more").
 */
export const DEFAULT_ITEM_SELECTOR = "article a[href]";

export function urlsFromListing(
  html: string,
  pageUrl: string,
  itemSelector = DEFAULT_ITEM_SELECTOR,
): DiscoveredUrl[] {
  const $ = cheerio.load(html);
  const base = $("base[href]").attr("href");
  const baseUrl = base ? new URL(base, pageUrl).href : pageUrl;
  const links = $(itemSelector)
    .toArray()
    .map((element) => $(element).attr("href"));
  const pageOrigin = new URL(pageUrl).origin;
  // Links back to the listing itself (pagination, section tabs) are not items.
  return absoluteUnique(links, baseUrl).filter((entry) => {
    const url = new URL(entry.url);
    return !(
      url.origin === pageOrigin &&
      (url.pathname === new URL(pageUrl).pathname || url.pathname === "/")
    );
  });
}
