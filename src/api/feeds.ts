import { EXTRACTOR_NAME, EXTRACTOR_VERSION } from "../domain/article.js";
import type { StoredArticle } from "../store/article-store.js";
import type { JsonFeed, JsonFeedItem } from "./schemas.js";

/**
 * The syndication output: stored articles as JSON Feed 1.1 and Atom 1.0 (RFC 4287), newest change
 * first. Pure functions of the articles and the addresses of the feed.
 *
 * An entry's id is the article's canonical URL: stable across revisions, so a reader updates the
 * entry it has instead of showing a revised story twice. `updated` is when our copy last changed.
 */
export interface FeedContext {
  title: string;
  /** Absolute URL of the reader page. */
  homeUrl: string;
  /** Absolute URL of this feed, query included. */
  feedUrl: string;
  /** Absolute base URL of the API, without a trailing slash, for links to the JSON of each article. */
  apiBase: string;
  /** Used as the feed's `updated` when there are no items. */
  now: Date;
}

const JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1" as const;

function leadImage(article: StoredArticle): string | undefined {
  const images = article.record.images;
  return (images.find((image) => image.isLead) ?? images[0])?.url;
}

function isPaywalled(article: StoredArticle): boolean {
  return article.record.paywall.truncated || article.record.paywall.accessibleForFree === false;
}

export function renderJsonFeed(articles: StoredArticle[], context: FeedContext): JsonFeed {
  return {
    version: JSON_FEED_VERSION,
    title: context.title,
    home_page_url: context.homeUrl,
    feed_url: context.feedUrl,
    description: "Stored news articles, newest change first.",
    items: articles.map((article) => {
      const record = article.record;
      const item: JsonFeedItem = {
        id: record.url,
        url: record.url,
        content_html: record.body.html,
        content_text: record.body.text,
        date_modified: article.updatedAt,
        _copydesk: {
          about: "https://github.com/copydesk/copydesk",
          article_id: article.articleId,
          story_id: article.storyId,
          revision: article.revision,
          api_url: `${context.apiBase}/v1/articles/${encodeURIComponent(article.articleId)}`,
          publisher: record.publisher,
          paywalled: isPaywalled(article),
        },
      };
      if (record.title !== null) item.title = record.title;
      if (record.standfirst !== null) item.summary = record.standfirst;
      const image = leadImage(article);
      if (image !== undefined) item.image = image;
      if (record.publishedAt !== null) item.date_published = record.publishedAt;
      if (record.authors.length > 0) item.authors = record.authors.map((name) => ({ name }));
      if (record.tags.length > 0) item.tags = record.tags;
      if (record.language !== null) item.language = record.language;
      return item;
    }),
  };
}

/** XML 1.0 forbids most control characters even when escaped; extracted text can carry them. */
const XML_INVALID =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

function element(name: string, text: string, attributes = ""): string {
  return `<${name}${attributes}>${escapeXml(text)}</${name}>`;
}

function atomEntry(article: StoredArticle, context: FeedContext): string {
  const record = article.record;
  const lines: string[] = [];
  const lang = record.language ? ` xml:lang="${escapeXml(record.language)}"` : "";
  lines.push(`<entry${lang}>`);
  lines.push(element("id", record.url));
  lines.push(element("title", record.title ?? record.url, ' type="text"'));
  lines.push(`<link rel="alternate" type="text/html" href="${escapeXml(record.url)}"/>`);
  const apiUrl = `${context.apiBase}/v1/articles/${encodeURIComponent(article.articleId)}`;
  lines.push(`<link rel="alternate" type="application/json" href="${escapeXml(apiUrl)}"/>`);
  const image = leadImage(article);
  if (image !== undefined) lines.push(`<link rel="enclosure" href="${escapeXml(image)}"/>`);
  lines.push(element("updated", article.updatedAt));
  if (record.publishedAt !== null) lines.push(element("published", record.publishedAt));
  for (const name of record.authors) lines.push(`<author>${element("name", name)}</author>`);
  for (const tag of record.tags) lines.push(`<category term="${escapeXml(tag)}"/>`);
  if (record.standfirst !== null) lines.push(element("summary", record.standfirst, ' type="text"'));
  lines.push(element("content", record.body.html, ' type="html"'));
  if (record.publisher !== null) lines.push(element("rights", `© ${record.publisher}`, ' type="text"'));
  lines.push("</entry>");
  return lines.join("\n");
}

export function renderAtomFeed(articles: StoredArticle[], context: FeedContext): string {
  // ISO-8601 UTC instants sort as strings.
  const updated =
    articles
      .map((article) => article.updatedAt)
      .sort()
      .at(-1) ?? context.now.toISOString();
  const head = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    element("id", context.feedUrl),
    element("title", context.title, ' type="text"'),
    element("subtitle", "Stored news articles, newest change first.", ' type="text"'),
    element("updated", updated),
    `<link rel="self" type="application/atom+xml" href="${escapeXml(context.feedUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${escapeXml(context.homeUrl)}"/>`,
    element("generator", EXTRACTOR_NAME, ` version="${EXTRACTOR_VERSION}"`),
    // Atom needs an author on every entry; the feed's stands in for entries without a byline.
    `<author>${element("name", EXTRACTOR_NAME)}</author>`,
  ];
  const entries = articles.map((article) => atomEntry(article, context));
  return `${[...head, ...entries, "</feed>"].join("\n")}\n`;
}
