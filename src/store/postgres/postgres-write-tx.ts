import type { PoolClient } from "pg";
import type { StoryLink } from "../article-store.js";
import { type BodySketch, decodeHashes, encodeHashes, lshBandKeys } from "../near-duplicate.js";
import type { PreparedArticle, UrlEntry } from "../prepare.js";
import type { CurrentArticle, NewRevision, SketchCandidate, StoryRow, UrlRow, WriteTx } from "../write-tx.js";

const RANK = (column: string) => `CASE ${column} WHEN 'canonical' THEN 2 WHEN 'alias' THEN 1 ELSE 0 END`;

/**
 * PostgreSQL's writes for one upsert, on a client inside BEGIN (READ COMMITTED). Conflicts are
 * settled by the database: INSERT … ON CONFLICT for articles and URLs, row locks on the article and
 * its stories held until commit, and the one-row change clock taken last so ticks follow commit order.
 */
export class PostgresWriteTx implements WriteTx {
  constructor(private readonly client: PoolClient) {}

  private async rows<T>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.client.query(sql, params)).rows as T[];
  }

  async insertArticle(article: PreparedArticle, storyId: string, now: string): Promise<boolean> {
    // One round trip: the article, its founder story and revision 1, or nothing when it exists.
    const [row] = await this.rows<{ inserted: number }>(
      `WITH article AS (
         INSERT INTO articles (id, url, site, story_id, story_link, story_similarity, revision, content_hash,
           title, language, paywalled, fetched_at, first_seen_at, last_seen_at, updated_us, record, search)
         VALUES ($1, $2, $3, $4, 'founder', NULL, 1, $5, $6, $7, $8, $9, $10, $10, 0, $11,
           copydesk_search_vector($7, $6, $13, $14))
         ON CONFLICT (id) DO NOTHING RETURNING id),
       story AS (
         INSERT INTO stories (id, created_at) SELECT $4, $12 FROM article ON CONFLICT (id) DO NOTHING),
       revision AS (
         INSERT INTO revisions (article_id, revision, content_hash, changed_fields, recorded_at, record)
         SELECT id, 1, $5, '[]', $12, $11 FROM article)
       SELECT count(*)::int AS inserted FROM article`,
      [
        article.articleId,
        article.url,
        article.site,
        storyId,
        article.contentHash,
        article.title,
        article.language,
        article.paywalled,
        article.fetchedAt,
        article.seenAt,
        article.json,
        now,
        article.record.standfirst,
        article.record.body.text,
      ],
    );
    return row?.inserted === 1;
  }

  async lockArticle(articleId: string): Promise<CurrentArticle> {
    const [row] = await this.rows<CurrentArticle>(
      `SELECT story_id AS "storyId", revision, content_hash AS "contentHash", fetched_at AS "fetchedAt",
         last_seen_at AS "lastSeenAt", record AS json
       FROM articles WHERE id = $1 FOR UPDATE`,
      [articleId],
    );
    if (!row) throw new Error(`article ${articleId} vanished inside its transaction`);
    return row;
  }

  async markSeen(articleId: string, seenAt: string): Promise<void> {
    await this.client.query("UPDATE articles SET last_seen_at = $1 WHERE id = $2", [seenAt, articleId]);
  }

  async reviseArticle(article: PreparedArticle, revision: number): Promise<void> {
    await this.client.query(
      `UPDATE articles SET revision = $2, content_hash = $3, title = $4, language = $5, paywalled = $6,
         fetched_at = $7, last_seen_at = GREATEST(last_seen_at, $8), record = $9,
         search = copydesk_search_vector($5, $4, $10, $11)
       WHERE id = $1`,
      [
        article.articleId,
        revision,
        article.contentHash,
        article.title,
        article.language,
        article.paywalled,
        article.fetchedAt,
        article.seenAt,
        article.json,
        article.record.standfirst,
        article.record.body.text,
      ],
    );
  }

  async insertRevision(revision: NewRevision): Promise<void> {
    await this.client.query(
      `INSERT INTO revisions (article_id, revision, content_hash, changed_fields, recorded_at, record)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        revision.articleId,
        revision.revision,
        revision.contentHash,
        JSON.stringify(revision.changedFields),
        revision.recordedAt,
        revision.json,
      ],
    );
  }

  async lockStories(storyIds: string[], mode: "share" | "update"): Promise<StoryRow[]> {
    return this.rows<StoryRow>(
      `SELECT id, seq, merged_into AS "mergedInto" FROM stories WHERE id = ANY($1::text[])
       ORDER BY id FOR ${mode === "share" ? "SHARE" : "UPDATE"}`,
      [storyIds],
    );
  }

  async upsertUrls(entries: UrlEntry[], articleId: string, storyId: string): Promise<void> {
    // Sorted, so two transactions indexing overlapping URLs take the row locks in one order.
    const sorted = [...entries].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
    await this.client.query(
      `INSERT INTO urls (url, story_id, article_id, kind)
       SELECT u, $3, CASE WHEN k = 'provenance' THEN NULL ELSE $4 END, k
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(u, k, n) ORDER BY n
       ON CONFLICT (url) DO UPDATE SET article_id = excluded.article_id, kind = excluded.kind
       WHERE ${RANK("urls.kind")} < ${RANK("excluded.kind")}`,
      [sorted.map((e) => e.url), sorted.map((e) => e.kind), storyId, articleId],
    );
  }

  async selectUrls(urls: string[]): Promise<UrlRow[]> {
    return this.rows<UrlRow>(
      `SELECT url, story_id AS "storyId", article_id AS "articleId", kind FROM urls WHERE url = ANY($1::text[])`,
      [urls],
    );
  }

  async mergeStories(from: string[], to: string): Promise<string[]> {
    const moved = await this.rows<{ id: string }>(
      "UPDATE articles SET story_id = $1 WHERE story_id = ANY($2::text[]) RETURNING id",
      [to, from],
    );
    await this.client.query("UPDATE urls SET story_id = $1 WHERE story_id = ANY($2::text[])", [to, from]);
    await this.client.query(
      "UPDATE stories SET merged_into = $1 WHERE id = ANY($2::text[]) OR merged_into = ANY($2::text[])",
      [to, from],
    );
    return moved.map((row) => row.id);
  }

  async setStoryLink(articleId: string, link: StoryLink, similarity: number | null): Promise<void> {
    await this.client.query("UPDATE articles SET story_link = $1, story_similarity = $2 WHERE id = $3", [
      link,
      similarity,
      articleId,
    ]);
  }

  async countStoryArticles(storyId: string): Promise<number> {
    const [row] = await this.rows<{ n: number }>(
      "SELECT count(*)::int AS n FROM articles WHERE story_id = $1",
      [storyId],
    );
    return row?.n ?? 0;
  }

  async putSketch(articleId: string, sketch: BodySketch | null, replace: boolean): Promise<void> {
    let oldKeys: number[] = [];
    if (replace) {
      const [old] = await this.rows<{ signature: Buffer }>(
        "SELECT signature FROM sketches WHERE article_seq = (SELECT seq FROM articles WHERE id = $1)",
        [articleId],
      );
      if (old) oldKeys = lshBandKeys(decodeHashes(old.signature));
    }
    const keys = sketch ? lshBandKeys(sketch.signature) : [];
    const dropped = oldKeys.filter((key) => !keys.includes(key));
    if (!sketch && oldKeys.length === 0) return;
    // One statement: drop the bands the new sketch no longer has, add the new ones, replace the sketch.
    await this.client.query(
      `WITH a AS (SELECT seq FROM articles WHERE id = $1),
       dropped AS (DELETE FROM sketch_bands WHERE article_seq = (SELECT seq FROM a) AND band_key = ANY($2::bigint[])),
       dropped_sketch AS (DELETE FROM sketches WHERE $4::bytea IS NULL AND article_seq = (SELECT seq FROM a)),
       put AS (INSERT INTO sketches (article_seq, signature, shingles)
               SELECT seq, $4, $5 FROM a WHERE $4::bytea IS NOT NULL
               ON CONFLICT (article_seq) DO UPDATE SET signature = excluded.signature, shingles = excluded.shingles)
       INSERT INTO sketch_bands (band_key, article_seq)
       SELECT k, (SELECT seq FROM a) FROM unnest($3::bigint[]) AS k
       ON CONFLICT DO NOTHING`,
      [
        articleId,
        dropped,
        keys,
        sketch ? encodeHashes(sketch.signature) : null,
        sketch ? encodeHashes(sketch.shingles) : null,
      ],
    );
  }

  async findNearDuplicates(
    sketch: BodySketch,
    articleId: string,
    site: string,
    limit: number,
  ): Promise<SketchCandidate[]> {
    const rows = await this.rows<{ articleId: string; storyId: string; shingles: Buffer }>(
      `SELECT a.id AS "articleId", a.story_id AS "storyId", s.shingles
       FROM (SELECT article_seq, count(*) AS n FROM sketch_bands
             WHERE band_key = ANY($1::bigint[])
               AND article_seq <> coalesce((SELECT seq FROM articles WHERE id = $2), -1)
             GROUP BY article_seq) AS b
       JOIN articles AS a ON a.seq = b.article_seq
       JOIN sketches AS s ON s.article_seq = b.article_seq
       WHERE a.site <> $3
       ORDER BY b.n DESC, b.article_seq LIMIT $4`,
      [lshBandKeys(sketch.signature), articleId, site, limit],
    );
    return rows.map((row) => ({
      articleId: row.articleId,
      storyId: row.storyId,
      shingles: decodeHashes(row.shingles),
    }));
  }

  async stampArticles(articleIds: string[]): Promise<void> {
    // The clock row stays locked until commit, so a later tick never commits before an earlier one.
    await this.client.query(
      `WITH tick AS (
         UPDATE store_clock SET last_us = GREATEST(last_us + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
         WHERE id = 1 RETURNING last_us)
       UPDATE articles SET updated_us = (SELECT last_us FROM tick) WHERE id = ANY($1::text[])`,
      [articleIds],
    );
  }
}
