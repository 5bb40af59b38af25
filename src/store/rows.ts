import type { ArticleRecord } from "../domain/article.js";
import { CopydeskError } from "../domain/errors.js";
import type { ExportLine } from "../domain/export-line.js";
import type { PageSnapshot } from "../domain/page.js";
import { siteOf } from "../domain/url.js";
import type {
  ArticlePage,
  ArticleRevision,
  ListArticlesQuery,
  RevisionField,
  StoredArticle,
  StoryLink,
} from "./article-store.js";
import {
  type CursorKey,
  decodeCursor,
  decodeNewestCursor,
  decodeRankCursor,
  encodeCursor,
  encodeNewestCursor,
  encodeRankCursor,
  instantToUs,
  normalizeInstant,
  type RankCursorKey,
  usToIso,
} from "./cursor.js";
import { canonicalOrNull } from "./prepare.js";
import { searchWords } from "./search.js";
import type { StoryMember } from "./story-view.js";

/** Rows as both backends select them (column aliases in camelCase), and their mapping to the API. */
export interface ArticleRow {
  id: string;
  storyId: string;
  revision: number;
  firstSeenAt: string;
  lastSeenAt: string;
  updatedUs: number;
  record: string;
  /** Relevance, higher is better: only selected by a ranked search. */
  rank?: number;
}

export const ARTICLE_COLUMNS =
  'id, story_id AS "storyId", revision, first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt", updated_us AS "updatedUs", record';

export function toStoredArticle(row: ArticleRow): StoredArticle {
  return {
    articleId: row.id,
    storyId: row.storyId,
    revision: row.revision,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    updatedAt: usToIso(row.updatedUs),
    record: JSON.parse(row.record) as ArticleRecord,
  };
}

/** An article row as a line of the NDJSON export (src/domain/export-line.ts). */
export function exportLineOf(row: ArticleRow): ExportLine {
  return {
    articleId: row.id,
    storyId: row.storyId,
    revision: row.revision,
    updatedAt: usToIso(row.updatedUs),
    record: JSON.parse(row.record) as ArticleRecord,
  };
}

export interface MemberRow {
  id: string;
  record: string;
  storyLink: string | null;
  storySimilarity: number | null;
  firstSeenAt: string;
  updatedUs: number;
}

export const MEMBER_COLUMNS =
  'id, record, story_link AS "storyLink", story_similarity AS "storySimilarity", first_seen_at AS "firstSeenAt", updated_us AS "updatedUs"';

export function toStoryMember(row: MemberRow): StoryMember {
  return {
    articleId: row.id,
    record: JSON.parse(row.record) as ArticleRecord,
    link: row.storyLink as StoryLink | null,
    similarity: row.storySimilarity,
    firstSeenAt: row.firstSeenAt,
    updatedUs: row.updatedUs,
  };
}

export interface RevisionRow {
  articleId: string;
  revision: number;
  contentHash: string;
  changedFields: string;
  recordedAt: string;
  record: string;
}

export const REVISION_COLUMNS =
  'article_id AS "articleId", revision, content_hash AS "contentHash", changed_fields AS "changedFields", recorded_at AS "recordedAt", record';

export function toRevision(row: RevisionRow): ArticleRevision {
  return {
    articleId: row.articleId,
    revision: row.revision,
    contentHash: row.contentHash,
    changedFields: JSON.parse(row.changedFields) as RevisionField[],
    recordedAt: row.recordedAt,
    record: JSON.parse(row.record) as ArticleRecord,
  };
}

export interface SnapshotRow {
  url: string;
  requestedUrl: string;
  finalUrl: string;
  status: number;
  headers: string;
  charset: string;
  contentType: string;
  etag: string | null;
  lastModified: string | null;
  fetchedAt: string;
  bytes: number;
  bodyGzip: Buffer;
}

export const SNAPSHOT_COLUMNS =
  'url, requested_url AS "requestedUrl", final_url AS "finalUrl", status, headers, charset, content_type AS "contentType", etag, last_modified AS "lastModified", fetched_at AS "fetchedAt", bytes, body_gzip AS "bodyGzip"';

export function toSnapshot(row: SnapshotRow): PageSnapshot {
  return {
    ...row,
    headers: JSON.parse(row.headers) as Record<string, string>,
    bodyGzip: Buffer.from(row.bodyGzip),
  };
}

/** A snapshot as written: keyed by its canonical URL, with lookup keys for its other URLs. */
export interface SnapshotValues {
  url: string;
  requestedUrl: string;
  requestedKey: string;
  finalUrl: string;
  finalKey: string;
  site: string;
  status: number;
  headers: string;
  charset: string;
  contentType: string;
  etag: string | null;
  lastModified: string | null;
  fetchedAt: string;
  bytes: number;
  bodyGzip: Buffer;
}

export function snapshotValues(snapshot: PageSnapshot): SnapshotValues {
  const url = canonicalOrNull(snapshot.url);
  if (url === null) {
    throw new CopydeskError(
      "INPUT_BAD_URL",
      `snapshot url is not an http(s) URL: ${JSON.stringify(snapshot.url)}`,
    );
  }
  return {
    url,
    requestedUrl: snapshot.requestedUrl,
    requestedKey: canonicalOrNull(snapshot.requestedUrl) ?? snapshot.requestedUrl,
    finalUrl: snapshot.finalUrl,
    finalKey: canonicalOrNull(snapshot.finalUrl) ?? snapshot.finalUrl,
    site: siteOf(url),
    status: snapshot.status,
    headers: JSON.stringify(snapshot.headers),
    charset: snapshot.charset,
    contentType: snapshot.contentType,
    etag: snapshot.etag,
    lastModified: snapshot.lastModified,
    fetchedAt: normalizeInstant(snapshot.fetchedAt, "fetchedAt"),
    bytes: snapshot.bytes,
    bodyGzip: snapshot.bodyGzip,
  };
}

/** A list query checked and turned into the values its WHERE clause needs. */
export interface ListFilter {
  sinceUs: number | null;
  after: CursorKey | null;
  /** The cursor as given, echoed as endCursor of an empty page. */
  cursor: string | null;
  limit: number;
  site: string | null;
  storyId: string | null;
  language: string | null;
  paywalled: boolean | null;
  /** Search words (see searchWords); null without q, empty when q held no word (nothing matches). */
  words: string[] | null;
  /** With words: the relevance cursor to start after, instead of `after`. */
  afterRank: RankCursorKey | null;
  ranked: boolean;
  /** Newest change first: pages by (updatedUs, id) descending, from `before`. */
  newest: boolean;
  before: CursorKey | null;
}

export const MAX_PAGE = 1000;

export function checkListQuery(query: ListArticlesQuery): ListFilter {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_PAGE) {
    throw new CopydeskError(
      "INPUT_INVALID",
      `limit must be an integer from 1 to ${MAX_PAGE}, got ${query.limit}`,
    );
  }
  const words = query.q ? searchWords(query.q) : null;
  const newest = query.order === "newest";
  const ranked = words !== null && !newest && query.order !== "updated";
  return {
    sinceUs: query.since === undefined ? null : instantToUs(query.since),
    after: query.cursor && !ranked && !newest ? decodeCursor(query.cursor) : null,
    afterRank: query.cursor && ranked ? decodeRankCursor(query.cursor) : null,
    ranked,
    newest,
    before: query.cursor && newest ? decodeNewestCursor(query.cursor) : null,
    cursor: query.cursor ?? null,
    limit: query.limit,
    site: query.site ? query.site.toLowerCase().replace(/^www\d?\./, "") : null,
    storyId: query.storyId ?? null,
    language: query.language ? query.language.toLowerCase() : null,
    paywalled: query.paywalled ?? null,
    words,
  };
}

/** The ORDER BY of a list in change order: oldest change first, or newest first. */
export function changeOrder(filter: ListFilter): string {
  return filter.newest ? "updated_us DESC, id DESC" : "updated_us, id";
}

/** Trims the extra row fetched to know whether another page follows, and makes the cursor. */
export function toPage(rows: ArticleRow[], filter: ListFilter): ArticlePage {
  const more = rows.length > filter.limit;
  const page = more ? rows.slice(0, filter.limit) : rows;
  const last = page[page.length - 1];
  const end = !last
    ? filter.cursor
    : filter.ranked
      ? encodeRankCursor({ rank: last.rank ?? 0, id: last.id })
      : filter.newest
        ? encodeNewestCursor({ updatedUs: last.updatedUs, id: last.id })
        : encodeCursor({ updatedUs: last.updatedUs, id: last.id });
  return { items: page.map(toStoredArticle), nextCursor: more ? end : null, endCursor: end };
}

export function snapshotSinceKey(since: string | undefined): string | null {
  return since === undefined ? null : normalizeInstant(since);
}
