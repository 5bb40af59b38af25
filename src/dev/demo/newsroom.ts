import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { DEMO_STORIES, type DemoStory, liveUpdate, MIRRORED_SLUGS } from "./stories.js";

/**
 * The demo newsroom: two local sites on loopback addresses only.
 * - The Harbour Ledger (127.0.0.1): original articles with JSON-LD and Open Graph tags, an RSS 2.0
 *   feed and a JSON Feed; one paywalled teaser; one live page rewritten every `changesEveryMs`.
 * - Newsdesk Digest (127.0.0.2 where the OS routes it, else 127.0.0.1 on another port): an
 *   aggregator listing page whose items link to mirrored copies that print "Original URL:".
 * A second loopback address gives the aggregator a host of its own, as on the real web; the
 * extractor only links a copy to an original on another site.
 */
export interface Newsroom {
  ledgerOrigin: string;
  digestOrigin: string;
  /** Hosts to allowlist in the fetcher's SSRF guard. */
  hosts: string[];
  /** Source definitions the demo schedules. */
  feedUrl: string;
  jsonFeedUrl: string;
  listingUrl: string;
  requests(): number;
  close(): Promise<void>;
}

export interface NewsroomOptions {
  changesEveryMs: number;
  now?: () => number;
}

const LEDGER = "The Harbour Ledger";
const DIGEST = "Newsdesk Digest";

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export async function startNewsroom(options: NewsroomOptions): Promise<Newsroom> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  let requests = 0;
  const version = () => Math.floor((now() - startedAt) / options.changesEveryMs);

  const ledger = createServer((request, response) => {
    requests++;
    serveLedger(request, response, ledgerOrigin, version());
  });
  const ledgerPort = await listen(ledger, "127.0.0.1");
  const ledgerOrigin = `http://127.0.0.1:${ledgerPort}`;

  const digest = createServer((request, response) => {
    requests++;
    serveDigest(request, response, digestOrigin, ledgerOrigin);
  });
  let digestHost = "127.0.0.2";
  let digestPort: number;
  try {
    digestPort = await listen(digest, digestHost);
  } catch {
    digestHost = "127.0.0.1";
    digestPort = await listen(digest, digestHost);
  }
  const digestOrigin = `http://${digestHost}:${digestPort}`;

  return {
    ledgerOrigin,
    digestOrigin,
    hosts: [...new Set(["127.0.0.1", digestHost])],
    feedUrl: `${ledgerOrigin}/feed.xml`,
    jsonFeedUrl: `${ledgerOrigin}/feed.json`,
    listingUrl: `${digestOrigin}/latest`,
    requests: () => requests,
    close: async () => {
      for (const server of [ledger, digest]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { "content-type": type, "cache-control": "no-cache", ...headers });
  response.end(body);
}

function serveLedger(
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
  version: number,
): void {
  const path = (request.url ?? "/").split("?")[0] ?? "/";
  if (path === "/robots.txt") {
    send(response, 200, "text/plain", "User-agent: *\nAllow: /\n");
    return;
  }
  if (path === "/feed.xml") {
    send(response, 200, "application/rss+xml; charset=utf-8", rssFeed(origin));
    return;
  }
  if (path === "/feed.json") {
    send(response, 200, "application/feed+json; charset=utf-8", jsonFeed(origin));
    return;
  }
  const match = /^\/news\/([a-z0-9-]+)$/.exec(path);
  const story = match ? DEMO_STORIES.find((s) => s.slug === match[1]) : undefined;
  if (!story) {
    send(response, 404, "text/html; charset=utf-8", "<h1>Not found</h1>");
    return;
  }
  const storyVersion = story.changing ? version : 0;
  const etag = `"${story.slug}-v${storyVersion}"`;
  if (request.headers["if-none-match"] === etag) {
    response.writeHead(304, { etag });
    response.end();
    return;
  }
  send(response, 200, "text/html; charset=utf-8", articlePage(story, origin, storyVersion), { etag });
}

function articleUrl(origin: string, story: DemoStory): string {
  return `${origin}/news/${story.slug}`;
}

function articlePage(story: DemoStory, origin: string, version: number): string {
  const url = articleUrl(origin, story);
  const paragraphs = story.paywalled ? story.paragraphs.slice(0, 2) : [...story.paragraphs];
  if (story.changing) paragraphs.push(liveUpdate(version));
  const modifiedAt = story.changing
    ? new Date(Date.parse(story.publishedAt) + version * 600_000).toISOString()
    : story.publishedAt;
  const title = story.changing && version > 0 ? `${story.title} (update ${version})` : story.title;
  const jsonLd = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: title,
    description: story.standfirst,
    author: [{ "@type": "Person", name: story.author }],
    datePublished: story.publishedAt,
    dateModified: modifiedAt,
    articleSection: story.section,
    isAccessibleForFree: !story.paywalled,
    publisher: { "@type": "NewsMediaOrganization", name: LEDGER },
    mainEntityOfPage: url,
    ...(story.paywalled
      ? { hasPart: { "@type": "WebPageElement", isAccessibleForFree: false, cssSelector: ".paywall" } }
      : {}),
  };
  const paywall = story.paywalled
    ? `<div class="paywall"><p>Subscribe to ${LEDGER} to continue reading this story.</p></div>`
    : "";
  return `<!doctype html>
<html lang="en-AU"><head><meta charset="utf-8">
<title>${escapeHtml(title)} | ${LEDGER}</title>
<link rel="canonical" href="${url}">
<meta name="description" content="${escapeHtml(story.standfirst)}">
<meta property="og:type" content="article"><meta property="og:site_name" content="${LEDGER}">
<meta property="og:title" content="${escapeHtml(title)}"><meta property="og:url" content="${url}">
<meta property="og:description" content="${escapeHtml(story.standfirst)}">
<meta property="article:published_time" content="${story.publishedAt}">
<meta property="article:modified_time" content="${modifiedAt}">
<meta property="article:section" content="${story.section}">
<meta name="author" content="${escapeHtml(story.author)}">
<script type="application/ld+json">${JSON.stringify(jsonLd)}</script>
</head><body>
<header><a href="/">${LEDGER}</a><nav><a href="/news">News</a> <a href="/feed.xml">RSS</a></nav></header>
<main><article>
<h1>${escapeHtml(title)}</h1>
<p class="standfirst">${escapeHtml(story.standfirst)}</p>
<p class="byline">By <a rel="author" href="/authors/${story.author.toLowerCase().replace(/\s+/g, "-")}">${escapeHtml(story.author)}</a>, <time datetime="${story.publishedAt}">${story.publishedAt.slice(0, 10)}</time></p>
<div class="body">${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}</div>
${paywall}
</article></main>
<footer><p>&copy; ${LEDGER}. Demo content written for copydesk.</p></footer>
</body></html>`;
}

function rssFeed(origin: string): string {
  const items = DEMO_STORIES.map(
    (story) => `<item><title>${escapeHtml(story.title)}</title><link>${articleUrl(origin, story)}</link>
<guid isPermaLink="true">${articleUrl(origin, story)}</guid><pubDate>${new Date(story.publishedAt).toUTCString()}</pubDate>
<description>${escapeHtml(story.standfirst)}</description></item>`,
  ).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${LEDGER}</title><link>${origin}/</link><description>Local news</description>
${items}
</channel></rss>`;
}

function jsonFeed(origin: string): string {
  return JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    title: LEDGER,
    home_page_url: `${origin}/`,
    feed_url: `${origin}/feed.json`,
    items: DEMO_STORIES.slice(0, 4).map((story) => ({
      id: story.slug,
      url: articleUrl(origin, story),
      title: story.title,
      summary: story.standfirst,
      date_published: story.publishedAt,
    })),
  });
}

function serveDigest(
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
  ledgerOrigin: string,
): void {
  const path = (request.url ?? "/").split("?")[0] ?? "/";
  if (path === "/robots.txt") {
    send(response, 200, "text/plain", "User-agent: *\nAllow: /\n");
    return;
  }
  const mirrored = DEMO_STORIES.filter((story) => MIRRORED_SLUGS.includes(story.slug));
  if (path === "/latest") {
    const items = mirrored
      .map(
        (
          story,
        ) => `<article class="item"><h2><a href="/mirror/${story.slug}">${escapeHtml(story.title)}</a></h2>
<p>${escapeHtml(story.standfirst)}</p><p class="via">via ${LEDGER}</p></article>`,
      )
      .join("\n");
    send(
      response,
      200,
      "text/html; charset=utf-8",
      `<!doctype html><html lang="en"><head><title>Latest | ${DIGEST}</title></head><body>
<header><a href="/latest">${DIGEST}</a></header><main><h1>Latest stories</h1>${items}</main></body></html>`,
    );
    return;
  }
  const match = /^\/mirror\/([a-z0-9-]+)$/.exec(path);
  const story = match ? mirrored.find((s) => s.slug === match[1]) : undefined;
  if (!story) {
    send(response, 404, "text/html; charset=utf-8", "<h1>Not found</h1>");
    return;
  }
  const original = articleUrl(ledgerOrigin, story);
  send(
    response,
    200,
    "text/html; charset=utf-8",
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(story.title)} | ${DIGEST}</title>
<meta property="og:site_name" content="${DIGEST}"><meta property="og:title" content="${escapeHtml(story.title)}">
<link rel="canonical" href="${origin}/mirror/${story.slug}"></head><body>
<header><a href="/latest">${DIGEST}</a></header>
<main><article><h1>${escapeHtml(story.title)}</h1>
<p class="standfirst">${escapeHtml(story.standfirst)}</p>
<div class="body">${story.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}</div>
<p class="credit">${LEDGER}</p>
<p class="original">Original URL: <a href="${original}" rel="nofollow noopener">${original}</a></p>
</article></main></body></html>`,
  );
  return;
}
