import type { StoryLink } from "./article-store.js";
import type { BodySketch } from "./near-duplicate.js";
import type { PreparedArticle, UrlEntry, UrlKind } from "./prepare.js";

/**
 * The writes one upsert needs, inside one transaction. Each backend implements it with its own SQL
 * (SQLite: one writer at a time, the locks are no-ops; PostgreSQL: row locks held until commit) and
 * `upsertInTransaction` runs the same linking algorithm on both.
 */
export interface WriteTx {
  /**
   * Unless the article's id exists: inserts it as revision 1, with its revision row and its founder
   * story (`storyId`). True when inserted.
   */
  insertArticle(article: PreparedArticle, storyId: string, now: string): Promise<boolean>;
  /** The current row of an existing article, locked until the transaction ends. */
  lockArticle(articleId: string): Promise<CurrentArticle>;
  markSeen(articleId: string, seenAt: string): Promise<void>;
  reviseArticle(article: PreparedArticle, revision: number): Promise<void>;
  insertRevision(revision: NewRevision): Promise<void>;
  /**
   * Story rows, ordered by id and locked: "share" keeps them from being merged away until commit,
   * "update" is taken to merge them.
   */
  lockStories(storyIds: string[], mode: "share" | "update"): Promise<StoryRow[]>;
  /**
   * Indexes the URLs: a new URL gets (story, article); an existing one is taken over only by a
   * stronger kind (canonical > alias > provenance), which sets its article but keeps its story, so
   * the story it belonged to shows up as evidence in `selectUrls`.
   */
  upsertUrls(entries: UrlEntry[], articleId: string, storyId: string): Promise<void>;
  selectUrls(urls: string[]): Promise<UrlRow[]>;
  /** Moves every article and URL of the `from` stories into `to`; returns the ids of the articles moved. */
  mergeStories(from: string[], to: string): Promise<string[]>;
  setStoryLink(articleId: string, link: StoryLink, similarity: number | null): Promise<void>;
  countStoryArticles(storyId: string): Promise<number>;
  /**
   * Stores the article's near-duplicate sketch and its LSH band keys (none when null); `replace`
   * when the article may already have one (a revision).
   */
  putSketch(articleId: string, sketch: BodySketch | null, replace: boolean): Promise<void>;
  /**
   * Articles on other sites than `site` sharing at least one LSH band with the sketch, most shared
   * bands first.
   */
  findNearDuplicates(
    sketch: BodySketch,
    articleId: string,
    site: string,
    limit: number,
  ): Promise<SketchCandidate[]>;
  /**
   * Takes the next tick of the change clock (strictly increasing, held until commit so ticks are in
   * commit order) and sets the articles' updatedAt to it.
   */
  stampArticles(articleIds: string[]): Promise<void>;
}

export interface CurrentArticle {
  storyId: string;
  revision: number;
  contentHash: string;
  fetchedAt: string;
  lastSeenAt: string;
  json: string;
}

export interface NewRevision {
  articleId: string;
  revision: number;
  contentHash: string;
  changedFields: string[];
  recordedAt: string;
  json: string;
}

export interface StoryRow {
  id: string;
  seq: number;
  mergedInto: string | null;
}

export interface UrlRow {
  url: string;
  storyId: string;
  articleId: string | null;
  kind: UrlKind;
}

export interface SketchCandidate {
  articleId: string;
  storyId: string;
  /** Sorted distinct shingle hashes of the candidate's body. */
  shingles: Uint32Array;
}

export const URL_KIND_RANK: Record<UrlKind, number> = { provenance: 0, alias: 1, canonical: 2 };
