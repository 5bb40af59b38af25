import { type ArticleRecord, EXTRACTOR_NAME, EXTRACTOR_VERSION } from "../../../src/domain/article.js";
import type { ParsePageInput } from "../../../src/domain/page.js";
import { articleIdFor, canonicalizeUrl, sha256Hex } from "../../../src/domain/url.js";

/**
 * A stand-in for parsePage in queue tests: the queue's behaviour is under test, not extraction, and
 * the real extractor has its own fixture suite. Title from <title>, body from the <p> text.
 */
export function fakeExtract(input: ParsePageInput): ArticleRecord {
  const url = canonicalizeUrl(input.finalUrl ?? input.url);
  const title = /<title>([^<]*)<\/title>/i.exec(input.html)?.[1] ?? null;
  const text = [...input.html.matchAll(/<p>([^<]*)<\/p>/gi)].map((m) => m[1]).join("\n\n");
  const originalUrl = /Original URL:\s*<a href="([^"]+)"/i.exec(input.html)?.[1] ?? null;
  return {
    id: articleIdFor(url),
    url,
    requestedUrl: input.requestedUrl ?? input.url,
    finalUrl: input.finalUrl ?? input.url,
    title,
    standfirst: null,
    byline: null,
    authors: [],
    publishedAt: null,
    publishedAtRaw: null,
    modifiedAt: null,
    modifiedAtRaw: null,
    publisher: null,
    section: null,
    tags: [],
    language: "en",
    direction: "ltr",
    body: { html: text, text },
    wordCount: text.split(/\s+/).filter(Boolean).length,
    images: [],
    provenance: originalUrl
      ? [
          { role: "origin", name: null, url: originalUrl, evidence: ["original-url-line"] },
          { role: "aggregator", name: null, url, evidence: ["page"] },
        ]
      : [],
    paywall: { accessibleForFree: null, truncated: false },
    contentHash: sha256Hex(`${title}\n${text}`),
    extractor: { name: EXTRACTOR_NAME, version: EXTRACTOR_VERSION, rule: null },
    fetchedAt: input.fetchedAt,
    extractedAt: new Date().toISOString(),
    missing: [],
    warnings: [],
  };
}
