import { describe, expect, it } from "vitest";
import { CopydeskError } from "../../src/domain/errors.js";
import { parseDuration } from "../../src/domain/source.js";
import { urlsFromFeed } from "../../src/fetchers/discovery/feeds.js";
import { urlsFromListing } from "../../src/fetchers/discovery/listing.js";
import { readSitemap } from "../../src/fetchers/discovery/sitemaps.js";
import { retryDelayMs } from "../../src/queue/backoff.js";

describe("feeds", () => {
  it("reads RSS 2.0 links, relative ones against the feed URL", () => {
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://n.example/</link>
      <item><title>A</title><link>/a</link></item><item><title>B</title><guid isPermaLink="true">https://n.example/b</guid></item>
      <item><title>A again</title><link>https://n.example/a#x</link></item></channel></rss>`;
    expect(urlsFromFeed(rss, "https://n.example/feed.xml").map((u) => u.url)).toEqual([
      "https://n.example/a",
      "https://n.example/b",
    ]);
  });

  it("reads Atom alternate links and JSON Feed urls", () => {
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>t</id><updated>2025-01-01T00:00:00Z</updated>
      <entry><title>E</title><id>e</id><updated>2025-01-01T00:00:00Z</updated><link rel="self" href="https://n.example/self"/><link rel="alternate" href="https://n.example/e"/></entry></feed>`;
    expect(urlsFromFeed(atom, "https://n.example/atom").map((u) => u.url)).toEqual(["https://n.example/e"]);
    const json = JSON.stringify({
      version: "https://jsonfeed.org/version/1.1",
      title: "T",
      items: [{ id: "1", url: "https://n.example/j" }],
    });
    expect(urlsFromFeed(json, "https://n.example/feed.json").map((u) => u.url)).toEqual([
      "https://n.example/j",
    ]);
  });

  it("refuses a document that is not a feed", () => {
    expect(() => urlsFromFeed("<html><body>hi</body></html>", "https://n.example/")).toThrow(CopydeskError);
  });
});

describe("sitemaps", () => {
  it("reads a news sitemap and a sitemap index", () => {
    const news = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://n.example/1</loc><news:news><news:publication_date>2025-01-01</news:publication_date><news:title>1</news:title></news:news></url>
      <url><loc>https://n.example/2</loc></url></urlset>`;
    expect(readSitemap(news, "https://n.example/sitemap.xml")).toEqual({
      urls: [{ url: "https://n.example/1" }, { url: "https://n.example/2" }],
      sitemaps: [],
    });
    const index = `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://n.example/news.xml</loc></sitemap><sitemap><loc>https://n.example/old.xml</loc></sitemap></sitemapindex>`;
    expect(readSitemap(index, "https://n.example/index.xml").sitemaps).toEqual([
      "https://n.example/news.xml",
      "https://n.example/old.xml",
    ]);
  });
});

describe("listing pages", () => {
  it("takes item links and leaves navigation back to the listing out", () => {
    const html = `<html><body><nav><a href="/latest">Latest</a></nav>
      <article><h2><a href="/mirror/one">One</a></h2><a href="/mirror/one">more</a></article>
      <article><a href="https://elsewhere.example/two">Two</a></article>
      <article><a href="/latest?page=2">Next</a></article></body></html>`;
    expect(urlsFromListing(html, "https://agg.example/latest").map((u) => u.url)).toEqual([
      "https://agg.example/mirror/one",
      "https://elsewhere.example/two",
    ]);
    expect(urlsFromListing(html, "https://agg.example/latest", "nav a").map((u) => u.url)).toEqual([]);
  });
});

describe("retry delays", () => {
  it("grows exponentially with jitter and honours Retry-After as a floor", () => {
    const options = { baseMs: 1000, maxMs: 60_000, random: () => 0.5 };
    expect(retryDelayMs(1, new Error("x"), options)).toBe(750);
    expect(retryDelayMs(3, new Error("x"), options)).toBe(3000);
    expect(retryDelayMs(20, new Error("x"), options)).toBe(45_000);
    const limited = new CopydeskError("FETCH_RATE_LIMITED", "slow down", { retryAfterMs: 30_000 });
    expect(retryDelayMs(1, limited, options)).toBe(30_500);
  });

  it("parses durations of sources", () => {
    expect(parseDuration("15m")).toBe(900_000);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("soon")).toBeNull();
  });
});
