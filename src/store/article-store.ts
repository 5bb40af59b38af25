import type { ArticleRecord, ProvenanceRole, REVISION_FIELDS } from "../domain/article.js";
import type { ExportLine } from "../domain/export-line.js";
import type { PageSnapshot } from "../domain/page.js";

/**
 * The canonical article store: the one place downstream consumers read articles from, so it never
 * loses or duplicates one. Two backends implement it (SQLite by default, PostgreSQL when
 * DATABASE_URL is set) and pass the same contract suite (test/store/contract.ts).
 *
 * Semantics every backend keeps:
 * - Articles are keyed by canonical URL (`record.url`); the article id is `articleIdFor(url)`.
 * - `upsertArticle` is idempotent: the same `contentHash` makes no new revision (only lastSeenAt
 *   moves); a different one makes a new revision and keeps the previous one. The store trusts
 *   `contentHash` and only computes which REVISION_FIELDS changed, for the revision list.
 * - A record fetched strictly earlier than the stored one (`fetchedAt`) never overwrites it: the
 *   outcome is "unchanged" (a slow worker cannot roll an article back).
 * - Every URL of an article (canonical, requested, final) and every provenance URL is indexed, so
 *   lookup by any of them works. Stories are linked by provenance first (a record naming a URL that
 *   another story holds merges the two), by near-duplicate body text second. Stories merge, never split.
 * - `updatedAt` moves when an article is created, revised or moved to another story, and is strictly
 *   increasing in commit order, so the (updatedAt, id) cursor of `listArticles` neither skips nor
 *   repeats rows while writers run. A row revised after a reader passed it shows up again later,
 *   which is what "changed since" means.
 * - Unknown ids and URLs give `null`, never an error: callers decide.
 * All methods are async on both backends.
 */
export interface ArticleStore {
  /** Which backend this is, for logs and metrics. */
  readonly backend: StoreBackend;

  /** Applies pending migrations (also done by `openStore`); throws STORE_SCHEMA_NEWER on a newer schema. */
  migrate(): Promise<MigrationReport>;

  /** Inserts or revises the article at `record.url` and links it into a story, in one transaction. */
  upsertArticle(record: ArticleRecord, options?: UpsertOptions): Promise<UpsertResult>;

  getArticle(articleId: string): Promise<StoredArticle | null>;

  /**
   * The article stored at any URL of it (canonical, requested, final). For a URL that only a
   * provenance entry names (a copy we never fetched), the story's origin, or its first article.
   */
  getArticleByUrl(url: string): Promise<StoredArticle | null>;

  /**
   * One page of articles ordered by (updatedAt, id), or with `q` best match first (see `order`).
   * Throws STORE_BAD_CURSOR on a malformed cursor.
   */
  listArticles(query: ListArticlesQuery): Promise<ArticlePage>;

  /** Every revision of an article, oldest first; an empty list for an unknown id. */
  listRevisions(articleId: string): Promise<ArticleRevision[]>;

  /** The story view; a story merged into another resolves to the surviving one. */
  getStory(storyId: string): Promise<StoryView | null>;

  /**
   * Keeps the latest raw response of a URL (one per canonical `snapshot.url`; an older fetch never
   * replaces a newer one).
   */
  putSnapshot(snapshot: PageSnapshot): Promise<void>;

  /** The snapshot of a URL (its `url`, `requestedUrl` or `finalUrl`), for conditional GET validators. */
  getLatestSnapshot(url: string): Promise<PageSnapshot | null>;

  /** Streams snapshots (oldest fetch first) without holding them all in memory; for reextract. */
  iterateSnapshots(query?: SnapshotQuery): AsyncIterable<PageSnapshot>;

  /**
   * Streams current records with their ids and revision (the NDJSON export line), ordered by
   * (updatedAt, id) in bounded batches: flat memory at any size.
   */
  exportArticles(query?: ExportQuery): AsyncIterable<ExportLine>;

  /** Row counts, for metrics. */
  stats(): Promise<StoreStats>;

  /** Releases the connection(s). The store is unusable afterwards. */
  close(): Promise<void>;
}

export type StoreBackend = "sqlite" | "postgres";

export type RevisionField = (typeof REVISION_FIELDS)[number];

export interface UpsertOptions {
  /** When the record was seen (ISO-8601 UTC); defaults to `record.fetchedAt`. */
  seenAt?: string;
}

export type UpsertOutcome = "created" | "revised" | "unchanged";

export interface UpsertResult {
  articleId: string;
  storyId: string;
  /** The article's current revision number (1 for a new article). */
  revision: number;
  outcome: UpsertOutcome;
}

/** A stored article: the current record plus what the store knows about it. */
export interface StoredArticle {
  articleId: string;
  storyId: string;
  revision: number;
  /** ISO-8601 UTC. */
  firstSeenAt: string;
  lastSeenAt: string;
  /** When the article last changed in the store (created, revised, moved to another story). */
  updatedAt: string;
  record: ArticleRecord;
}

export interface ListArticlesQuery {
  /** Only articles whose updatedAt is at or after this ISO-8601 instant. */
  since?: string;
  /** `nextCursor` of the previous page; null or absent for the first page. */
  cursor?: string | null;
  /** Page size, 1..1000. */
  limit: number;
  /** Host without "www." (as `siteOf`). */
  site?: string;
  storyId?: string;
  /** BCP 47 tag; "en" also matches "en-AU". */
  language?: string;
  /** True: paywall teasers and pages declaring isAccessibleForFree=false; false: the others. */
  paywalled?: boolean;
  /**
   * Full-text search: words (any order, every one must match) in the title, standfirst or body,
   * case-insensitive and stemmed (PostgreSQL: by the record's language; SQLite: Porter stemming).
   * Operators and quotes in it are plain separators.
   */
  q?: string;
  /**
   * With `q`: "relevance" (the default) pages best match first by (rank, id), a title match above a
   * standfirst match above a body match; "updated" keeps the change order of a list without `q`.
   * The rank cursor neither skips nor repeats while the matching articles don't change; a list without
   * `q` (or with order "updated") is the change feed. "newest", with or without `q`, pages by
   * (updatedAt, id) newest first, as feeds show articles; its cursor is not a change cursor.
   * Otherwise ignored without `q`.
   */
  order?: ListOrder;
}

export type ListOrder = "relevance" | "updated" | "newest";

export interface ArticlePage {
  items: StoredArticle[];
  /** Pass back as `cursor` for the next page; null when this page was the last one for now. */
  nextCursor: string | null;
  /**
   * The position after this page's last item (the request's cursor when the page is empty): what
   * a change-feed consumer keeps to ask later for what changed since, even when nextCursor is null.
   */
  endCursor: string | null;
}

export interface ArticleRevision {
  articleId: string;
  revision: number;
  contentHash: string;
  /** REVISION_FIELDS that differ from the previous revision; empty for revision 1. */
  changedFields: RevisionField[];
  /** When the store recorded this revision (ISO-8601 UTC). */
  recordedAt: string;
  record: ArticleRecord;
}

/** How an article came to be in its story. */
export type StoryLink = "founder" | "provenance" | "near-duplicate";

export interface StorySource {
  /** Null for a copy that a provenance entry names but that we have not stored. */
  articleId: string | null;
  url: string;
  site: string;
  role: ProvenanceRole;
  /** Publisher name, when a record says it. */
  name: string | null;
  /** Provenance evidence naming this source ('canonical', 'original-url-line'…), plus 'near-duplicate'. */
  evidence: string[];
  link: StoryLink | null;
  /** Estimated Jaccard similarity to the article it was matched with, for near-duplicate links. */
  similarity: number | null;
}

/** One story published at several places, seen through its best parts. */
export interface StoryView {
  storyId: string;
  /** The origin's record when we have it, else the most complete one: metadata comes from here. */
  metadataFrom: string;
  /** The article with the most complete body (longest non-teaser text). */
  bodyFrom: string;
  title: string | null;
  standfirst: string | null;
  byline: string | null;
  authors: string[];
  publishedAt: string | null;
  modifiedAt: string | null;
  publisher: string | null;
  section: string | null;
  language: string | null;
  body: { html: string; text: string };
  wordCount: number;
  /** Every copy: stored articles first (origin, syndicators, aggregators), then URLs only named. */
  sources: StorySource[];
  /**
   * Who first published the story, as its copies say: the origin copy (stored or only named by its
   * URL), else the wire or partner the copies credit by name alone ("The Associated Press").
   */
  origin: { name: string | null; url: string | null } | null;
  /** ISO-8601 UTC: when the last member article changed. */
  updatedAt: string;
}

export interface SnapshotQuery {
  /** Host without "www.". */
  site?: string;
  /** Only snapshots fetched at or after this ISO-8601 instant (or date). */
  since?: string;
}

export interface ExportQuery {
  /** Only articles whose updatedAt is at or after this ISO-8601 instant. */
  since?: string;
  site?: string;
}

export interface StoreStats {
  articles: number;
  revisions: number;
  /** Live stories (merged ones excluded). */
  stories: number;
  urls: number;
  snapshots: number;
}

export interface MigrationReport {
  backend: StoreBackend;
  /** Schema version before and after. */
  from: number;
  to: number;
  applied: { version: number; name: string }[];
}
