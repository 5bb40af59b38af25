import { type ArticleRecord, type ProvenanceRole, REVISION_FIELDS } from "../domain/article.js";
import { CopydeskError } from "../domain/errors.js";
import { articleIdFor, canonicalizeUrl, siteOf } from "../domain/url.js";
import type { RevisionField } from "./article-store.js";
import { normalizeInstant } from "./cursor.js";
import { type BodySketch, bodySketch } from "./near-duplicate.js";

/** How a URL is known to the store; a stronger kind takes a URL row over from a weaker one. */
export type UrlKind = "canonical" | "alias" | "provenance";

export interface UrlEntry {
  url: string;
  kind: UrlKind;
}

/** A record turned into the values the store writes; computed once, outside any transaction. */
export interface PreparedArticle {
  articleId: string;
  /** The founding story of this article, used when no other story claims it. */
  founderStoryId: string;
  url: string;
  site: string;
  title: string | null;
  language: string | null;
  paywalled: boolean;
  bodyChars: number;
  fetchedAt: string;
  seenAt: string;
  contentHash: string;
  /** The record as stored and exported: id and url set to the store's canonical ones. */
  record: ArticleRecord;
  json: string;
  /** Every URL of the article, canonical first; provenance URLs naming other copies last. */
  urls: UrlEntry[];
  /** The body's near-duplicate sketch, computed on first use (an unchanged upsert never needs it). */
  sketch(): BodySketch | null;
}

function canonicalOrNull(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return canonicalizeUrl(url);
  } catch {
    return null;
  }
}

export function storyIdFor(articleId: string): string {
  return `sty_${articleId.replace(/^art_/, "")}`;
}

export function prepareArticle(record: ArticleRecord, seenAt?: string): PreparedArticle {
  const url = canonicalOrNull(record.url);
  if (url === null) {
    throw new CopydeskError(
      "INPUT_BAD_URL",
      `article url is not an http(s) URL: ${JSON.stringify(record.url)}`,
    );
  }
  const articleId = articleIdFor(url);
  const stored: ArticleRecord = { ...record, id: articleId, url };
  const urls: UrlEntry[] = [{ url, kind: "canonical" }];
  const seen = new Set([url]);
  for (const alias of [record.requestedUrl, record.finalUrl]) {
    const canonical = canonicalOrNull(alias);
    if (canonical && !seen.has(canonical)) {
      seen.add(canonical);
      urls.push({ url: canonical, kind: "alias" });
    }
  }
  for (const entry of record.provenance) {
    const canonical = canonicalOrNull(entry.url);
    if (canonical && !seen.has(canonical)) {
      seen.add(canonical);
      urls.push({ url: canonical, kind: "provenance" });
    }
  }
  const fetchedAt = normalizeInstant(record.fetchedAt, "fetchedAt");
  let sketch: { value: BodySketch | null } | undefined;
  return {
    articleId,
    founderStoryId: storyIdFor(articleId),
    url,
    site: siteOf(url),
    title: record.title,
    language: record.language ? record.language.toLowerCase() : null,
    paywalled: isPaywalled(record),
    bodyChars: record.body.text.length,
    fetchedAt,
    seenAt: seenAt === undefined ? fetchedAt : normalizeInstant(seenAt, "seenAt"),
    contentHash: record.contentHash,
    record: stored,
    json: JSON.stringify(stored),
    urls,
    sketch: () => {
      sketch ??= { value: bodySketch(record.body.text) };
      return sketch.value;
    },
  };
}

/** "Has a paywall": a teaser we could not get past, or a page declaring it is not free. */
export function isPaywalled(record: ArticleRecord): boolean {
  return record.paywall.truncated || record.paywall.accessibleForFree === false;
}

/** The REVISION_FIELDS whose values differ between two records. */
export function changedRevisionFields(before: ArticleRecord, after: ArticleRecord): RevisionField[] {
  return REVISION_FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

/** Provenance entries of a record keyed by canonical URL, for the story view. */
export function provenanceByUrl(
  record: ArticleRecord,
): Map<string, { role: ProvenanceRole; name: string | null; evidence: string[] }> {
  const out = new Map<string, { role: ProvenanceRole; name: string | null; evidence: string[] }>();
  for (const entry of record.provenance) {
    const url = canonicalOrNull(entry.url);
    if (url && !out.has(url)) out.set(url, { role: entry.role, name: entry.name, evidence: entry.evidence });
  }
  return out;
}

export { canonicalOrNull };
