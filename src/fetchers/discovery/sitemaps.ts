import * as cheerio from "cheerio";
import { CopydeskError } from "../../domain/errors.js";
import { absoluteUnique, type DiscoveredUrl } from "./feeds.js";

export interface SitemapContents {
  /** Page URLs (<urlset>), news sitemaps included. */
  urls: DiscoveredUrl[];
  /** Child sitemaps (<sitemapindex>). */
  sitemaps: string[];
}

/**
 * A sitemap (sitemaps.org, Google News extension) or a sitemap index. News sitemaps list only
 * recent articles; a <news:publication_date> reorders nothing: the document's order is kept.
 */
export function readSitemap(xml: string, sitemapUrl: string): SitemapContents {
  const $ = cheerio.load(xml, { xml: true });
  const root = $.root().children().first();
  const rootName = (root.prop("tagName") ?? "").toLowerCase().replace(/^.*:/, "");
  if (rootName !== "urlset" && rootName !== "sitemapindex") {
    throw new CopydeskError("INPUT_UNREADABLE", `not a sitemap: ${sitemapUrl}`, {
      details: { url: sitemapUrl },
    });
  }
  const locs = (selector: string) =>
    root
      .find(selector)
      .toArray()
      .map((element) => $(element).children("loc").first().text());
  if (rootName === "sitemapindex") {
    return { urls: [], sitemaps: absoluteUnique(locs("sitemap"), sitemapUrl).map((entry) => entry.url) };
  }
  return { urls: absoluteUnique(locs("url"), sitemapUrl), sitemaps: [] };
}
