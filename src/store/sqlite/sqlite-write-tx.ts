import type { Database, Statement } from "better-sqlite3";
import type { StoryLink } from "../article-store.js";
import { type BodySketch, decodeHashes, encodeHashes, lshBandKeys } from "../near-duplicate.js";
import type { PreparedArticle, UrlEntry, UrlKind } from "../prepare.js";
import type { CurrentArticle, NewRevision, SketchCandidate, StoryRow, UrlRow, WriteTx } from "../write-tx.js";

const RANK = (column: string) => `CASE ${column} WHEN 'canonical' THEN 2 WHEN 'alias' THEN 1 ELSE 0 END`;

/**
 * SQLite's writes for one upsert. The caller holds BEGIN IMMEDIATE, so this connection is the only
 * writer of the file: the lock methods only read. Statements are prepared once per connection.
 */
export class SqliteWriteStatements {
  readonly insertArticle: Statement;
  readonly lockArticle: Statement;
  readonly markSeen: Statement;
  readonly reviseArticle: Statement;
  readonly insertRevision: Statement;
  readonly insertStory: Statement;
  readonly selectStories: Statement;
  readonly upsertUrl: Statement;
  readonly selectUrls: Statement;
  readonly moveArticles: Statement;
  readonly moveUrls: Statement;
  readonly redirectStories: Statement;
  readonly setStoryLink: Statement;
  readonly countStoryArticles: Statement;
  readonly articleSeq: Statement;
  readonly oldSignature: Statement;
  readonly deleteBand: Statement;
  readonly putSketch: Statement;
  readonly deleteSketch: Statement;
  readonly insertBand: Statement;
  readonly findCandidates: Statement;
  readonly nextTick: Statement;
  readonly saveTick: Statement;
  readonly stamp: Statement;
  readonly insertText: Statement;
  readonly deleteText: Statement;

  constructor(db: Database) {
    this.insertArticle = db.prepare(`
      INSERT INTO articles (id, url, site, story_id, story_link, story_similarity, revision, content_hash,
        title, language, paywalled, fetched_at, first_seen_at, last_seen_at, updated_us, record)
      VALUES (@id, @url, @site, @storyId, 'founder', NULL, 1, @contentHash,
        @title, @language, @paywalled, @fetchedAt, @seenAt, @seenAt, @updatedUs, @json)
      ON CONFLICT (id) DO NOTHING`);
    this.lockArticle = db.prepare(`
      SELECT story_id AS storyId, revision, content_hash AS contentHash, fetched_at AS fetchedAt,
        last_seen_at AS lastSeenAt, record AS json
      FROM articles WHERE id = ?`);
    this.markSeen = db.prepare("UPDATE articles SET last_seen_at = ? WHERE id = ?");
    this.reviseArticle = db.prepare(`
      UPDATE articles SET revision = @revision, content_hash = @contentHash, title = @title,
        language = @language, paywalled = @paywalled, fetched_at = @fetchedAt,
        last_seen_at = max(last_seen_at, @seenAt), record = @json, updated_us = @updatedUs
      WHERE id = @id`);
    this.insertRevision = db.prepare(`
      INSERT INTO revisions (article_id, revision, content_hash, changed_fields, recorded_at, record)
      VALUES (@articleId, @revision, @contentHash, @changedFields, @recordedAt, @json)`);
    this.insertStory = db.prepare(
      "INSERT INTO stories (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
    );
    this.selectStories = db.prepare(`
      SELECT id, seq, merged_into AS mergedInto FROM stories
      WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`);
    this.upsertUrl = db.prepare(`
      INSERT INTO urls (url, story_id, article_id, kind) VALUES (@url, @storyId, @articleId, @kind)
      ON CONFLICT (url) DO UPDATE SET article_id = excluded.article_id, kind = excluded.kind
      WHERE ${RANK("urls.kind")} < ${RANK("excluded.kind")}`);
    this.selectUrls = db.prepare(`
      SELECT url, story_id AS storyId, article_id AS articleId, kind FROM urls
      WHERE url IN (SELECT value FROM json_each(?))`);
    this.moveArticles = db.prepare(
      "UPDATE articles SET story_id = ? WHERE story_id IN (SELECT value FROM json_each(?)) RETURNING id",
    );
    this.moveUrls = db.prepare(
      "UPDATE urls SET story_id = ? WHERE story_id IN (SELECT value FROM json_each(?))",
    );
    this.redirectStories = db.prepare(`
      UPDATE stories SET merged_into = @to
      WHERE id IN (SELECT value FROM json_each(@from)) OR merged_into IN (SELECT value FROM json_each(@from))`);
    this.setStoryLink = db.prepare("UPDATE articles SET story_link = ?, story_similarity = ? WHERE id = ?");
    this.countStoryArticles = db.prepare("SELECT count(*) AS n FROM articles WHERE story_id = ?");
    this.articleSeq = db.prepare("SELECT seq FROM articles WHERE id = ?");
    this.oldSignature = db.prepare("SELECT signature FROM sketches WHERE article_seq = ?");
    this.deleteBand = db.prepare("DELETE FROM sketch_bands WHERE band_key = ? AND article_seq = ?");
    this.putSketch = db.prepare(`
      INSERT INTO sketches (article_seq, signature, shingles) VALUES (?, ?, ?)
      ON CONFLICT (article_seq) DO UPDATE SET signature = excluded.signature, shingles = excluded.shingles`);
    this.deleteSketch = db.prepare("DELETE FROM sketches WHERE article_seq = ?");
    this.insertBand = db.prepare("INSERT OR IGNORE INTO sketch_bands (band_key, article_seq) VALUES (?, ?)");
    this.findCandidates = db.prepare(`
      SELECT a.id AS articleId, a.story_id AS storyId, s.shingles
      FROM (SELECT article_seq, count(*) AS n FROM sketch_bands
            WHERE band_key IN (SELECT value FROM json_each(@keys)) AND article_seq <> @seq
            GROUP BY article_seq) AS b
      JOIN articles AS a ON a.seq = b.article_seq
      JOIN sketches AS s ON s.article_seq = b.article_seq
      WHERE a.site <> @site
      ORDER BY b.n DESC, b.article_seq LIMIT @limit`);
    this.nextTick = db.prepare("SELECT max(last_us + 1, ?) AS us FROM store_clock WHERE id = 1");
    this.saveTick = db.prepare("UPDATE store_clock SET last_us = ? WHERE id = 1");
    this.insertText = db.prepare(
      "INSERT INTO articles_fts (rowid, title, standfirst, body) VALUES (@seq, @title, @standfirst, @body)",
    );
    this.deleteText = db.prepare("DELETE FROM articles_fts WHERE rowid = ?");
    this.stamp = db.prepare(
      "UPDATE articles SET updated_us = @tick WHERE id IN (SELECT value FROM json_each(@ids)) AND updated_us <> @tick",
    );
  }
}

export class SqliteWriteTx implements WriteTx {
  private tick: number | null = null;

  constructor(private readonly s: SqliteWriteStatements) {}

  /**
   * The transaction's tick of the change clock, read at first use and saved by stampArticles (which
   * every changing upsert calls). SQLite has one writer at a time, so a tick read early is still in
   * commit order; writing it with the row, instead of stamping at the end as PostgreSQL must,
   * spares rewriting the five (…, updated_us, id) indexes.
   */
  private changeTick(): number {
    this.tick ??= (this.s.nextTick.get(Date.now() * 1000) as { us: number }).us;
    return this.tick;
  }

  async insertArticle(article: PreparedArticle, storyId: string, now: string): Promise<boolean> {
    const values = { ...articleValues(article), storyId, updatedUs: this.changeTick() };
    const inserted = this.s.insertArticle.run(values);
    if (inserted.changes !== 1) return false;
    this.s.insertText.run({ seq: inserted.lastInsertRowid, ...searchText(article) });
    this.s.insertStory.run(storyId, now);
    this.s.insertRevision.run({
      articleId: article.articleId,
      revision: 1,
      contentHash: article.contentHash,
      changedFields: "[]",
      recordedAt: now,
      json: article.json,
    });
    return true;
  }

  async lockArticle(articleId: string): Promise<CurrentArticle> {
    return this.s.lockArticle.get(articleId) as CurrentArticle;
  }

  async markSeen(articleId: string, seenAt: string): Promise<void> {
    this.s.markSeen.run(seenAt, articleId);
  }

  async reviseArticle(article: PreparedArticle, revision: number): Promise<void> {
    this.s.reviseArticle.run({ ...articleValues(article), revision, updatedUs: this.changeTick() });
    const seq = (this.s.articleSeq.get(article.articleId) as { seq: number }).seq;
    this.s.deleteText.run(seq);
    this.s.insertText.run({ seq, ...searchText(article) });
  }

  async insertRevision(revision: NewRevision): Promise<void> {
    this.s.insertRevision.run({ ...revision, changedFields: JSON.stringify(revision.changedFields) });
  }

  async lockStories(storyIds: string[]): Promise<StoryRow[]> {
    return this.s.selectStories.all(JSON.stringify(storyIds)) as StoryRow[];
  }

  async upsertUrls(entries: UrlEntry[], articleId: string, storyId: string): Promise<void> {
    for (const entry of entries) {
      this.s.upsertUrl.run({
        url: entry.url,
        storyId,
        articleId: entry.kind === "provenance" ? null : articleId,
        kind: entry.kind,
      });
    }
  }

  async selectUrls(urls: string[]): Promise<UrlRow[]> {
    return (this.s.selectUrls.all(JSON.stringify(urls)) as UrlRow[]).map((row) => ({
      ...row,
      kind: row.kind as UrlKind,
    }));
  }

  async mergeStories(from: string[], to: string): Promise<string[]> {
    const ids = JSON.stringify(from);
    const moved = (this.s.moveArticles.all(to, ids) as { id: string }[]).map((row) => row.id);
    this.s.moveUrls.run(to, ids);
    this.s.redirectStories.run({ to, from: ids });
    return moved;
  }

  async setStoryLink(articleId: string, link: StoryLink, similarity: number | null): Promise<void> {
    this.s.setStoryLink.run(link, similarity, articleId);
  }

  async countStoryArticles(storyId: string): Promise<number> {
    return (this.s.countStoryArticles.get(storyId) as { n: number }).n;
  }

  async putSketch(articleId: string, sketch: BodySketch | null, replace: boolean): Promise<void> {
    const seq = (this.s.articleSeq.get(articleId) as { seq: number }).seq;
    if (replace) {
      const old = this.s.oldSignature.get(seq) as { signature: Buffer } | undefined;
      if (old) for (const key of lshBandKeys(decodeHashes(old.signature))) this.s.deleteBand.run(key, seq);
      if (sketch === null) this.s.deleteSketch.run(seq);
    }
    if (sketch === null) return;
    this.s.putSketch.run(seq, encodeHashes(sketch.signature), encodeHashes(sketch.shingles));
    for (const key of lshBandKeys(sketch.signature)) this.s.insertBand.run(key, seq);
  }

  async findNearDuplicates(
    sketch: BodySketch,
    articleId: string,
    site: string,
    limit: number,
  ): Promise<SketchCandidate[]> {
    const seq = (this.s.articleSeq.get(articleId) as { seq: number } | undefined)?.seq ?? -1;
    const keys = JSON.stringify(lshBandKeys(sketch.signature));
    const rows = this.s.findCandidates.all({ keys, seq, site, limit }) as {
      articleId: string;
      storyId: string;
      shingles: Buffer;
    }[];
    return rows.map((row) => ({
      articleId: row.articleId,
      storyId: row.storyId,
      shingles: decodeHashes(row.shingles),
    }));
  }

  async stampArticles(articleIds: string[]): Promise<void> {
    const tick = this.changeTick();
    this.s.saveTick.run(tick);
    this.s.stamp.run({ tick, ids: JSON.stringify(articleIds) });
  }
}

function articleValues(article: PreparedArticle) {
  return {
    id: article.articleId,
    url: article.url,
    site: article.site,
    contentHash: article.contentHash,
    title: article.title,
    language: article.language,
    paywalled: article.paywalled ? 1 : 0,
    fetchedAt: article.fetchedAt,
    seenAt: article.seenAt,
    json: article.json,
  };
}

/** What the full-text index holds of an article. */
function searchText(article: PreparedArticle) {
  return { title: article.title, standfirst: article.record.standfirst, body: article.record.body.text };
}
