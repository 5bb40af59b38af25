import { parseFeed } from "feedsmith";
import { CopydeskError } from "../../domain/errors.js";

/** A URL a source lists, in the order the document lists it (feeds and sitemaps put the newest first). */
export interface DiscoveredUrl {
  url: string;
}

/**
 * Item links of an RSS 2.0, RSS 1.0 (RDF), Atom or JSON Feed document. The format is detected by
 * feedsmith; relative links resolve against the feed's own URL.
 */
export function urlsFromFeed(text: string, feedUrl: string): DiscoveredUrl[] {
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(text);
  } catch (error) {
    throw new CopydeskError("INPUT_UNREADABLE", `not a feed: ${feedUrl}`, {
      details: { url: feedUrl },
      cause: error,
    });
  }
  const links: (string | undefined)[] = [];
  if (parsed.format === "atom") {
    for (const entry of parsed.feed.entries ?? []) {
      const alternate =
        entry.links?.find((link) => !link.rel || link.rel === "alternate") ?? entry.links?.[0];
      links.push(alternate?.href);
    }
  } else if (parsed.format === "json") {
    for (const item of parsed.feed.items ?? []) links.push(item.url ?? item.external_url);
  } else {
    for (const item of parsed.feed.items ?? []) {
      const guid = (item as { guid?: { value?: string; isPermaLink?: boolean } }).guid;
      links.push(item.link ?? (guid?.isPermaLink !== false ? guid?.value : undefined));
    }
  }
  return absoluteUnique(links, feedUrl);
}

/** Absolute http(s) URLs, first occurrence kept. */
export function absoluteUnique(links: (string | undefined | null)[], base: string): DiscoveredUrl[] {
  const seen = new Set<string>();
  const out: DiscoveredUrl[] = [];
  for (const link of links) {
    if (!link) continue;
    let url: URL;
    try {
      url = new URL(link.trim(), base);
    } catch {
      continue;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") continue;
    url.hash = "";
    if (seen.has(url.href)) continue;
    seen.add(url.href);
    out.push({ url: url.href });
  }
  return out;
}
