import pg from "pg";
import type { ArticleRecord } from "../../domain/article.js";
import { CopydeskError } from "../../domain/errors.js";
import type { ExportLine } from "../../domain/export-line.js";
import type { PageSnapshot } from "../../domain/page.js";
import type {
  ArticlePage,
  ArticleRevision,
  ArticleStore,
  ExportQuery,
  ListArticlesQuery,
  MigrationReport,
  SnapshotQuery,
  StoredArticle,
  StoreStats,
  StoryView,
  UpsertOptions,
  UpsertResult,
} from "../article-store.js";
import { instantToUs } from "../cursor.js";
import { latestVersion, migrationFailed, refuseNewerSchema } from "../migration.js";
import { canonicalOrNull, prepareArticle } from "../prepare.js";
import {
  ARTICLE_COLUMNS,
  type ArticleRow,
  changeOrder,
  checkListQuery,
  exportLineOf,
  MEMBER_COLUMNS,
  type MemberRow,
  REVISION_COLUMNS,
  type RevisionRow,
  SNAPSHOT_COLUMNS,
  type SnapshotRow,
  snapshotSinceKey,
  snapshotValues,
  toPage,
  toRevision,
  toSnapshot,
  toStoredArticle,
  toStoryMember,
} from "../rows.js";
import { SEARCH_CONFIGS } from "../search.js";
import { buildStoryView } from "../story-view.js";
import { upsertInTransaction } from "../upsert.js";
import { POSTGRES_MIGRATIONS } from "./migrations.js";
import { PostgresWriteTx } from "./postgres-write-tx.js";

export interface PostgresStoreOptions {
  /** Apply pending migrations on open (default true); the newer-schema check always runs. */
  migrate?: boolean;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

const EXPORT_BATCH = 500;
const SNAPSHOT_BATCH = 50;
const STORY_MEMBERS_MAX = 1000;
const MAX_ATTEMPTS = 10;
/** Any constant key: every copydesk process migrating the same database takes this one lock. */
const MIGRATION_LOCK = 0x636f7079;

/** int8 as a JS number: our BIGINTs (microsecond clock, sequences, band keys) stay below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Serialisation failures, deadlocks and unique races: safe to run the whole transaction again. */
const RETRYABLE_SQLSTATES = new Set(["40001", "40P01", "23505"]);

/** A search's tsquery, and its lexemes when it is an OR of single lexemes (one word's stemmings). */
interface SearchQuery {
  query: string;
  lexemes: string[] | null;
}

/** Past this many stemmings of one word, the pairs that score above one occurrence are not worth listing. */
const MAX_RANK_KEY_LEXEMES = 8;

/**
 * The shared backend: several workers on several machines write one database. Every upsert is one
 * transaction, retried whole on a deadlock or serialisation failure.
 */
export class PostgresArticleStore implements ArticleStore {
  readonly backend = "postgres" as const;
  readonly pool: pg.Pool;

  private constructor(connectionString: string, options: PostgresStoreOptions) {
    this.pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10, types });
    // An idle client losing its connection must not crash the process; the next query reports it.
    this.pool.on("error", () => undefined);
  }

  static async open(
    connectionString: string,
    options: PostgresStoreOptions = {},
  ): Promise<PostgresArticleStore> {
    const store = new PostgresArticleStore(connectionString, options);
    try {
      if (options.migrate === false)
        refuseNewerSchema("postgres", await store.schemaVersion(), POSTGRES_MIGRATIONS);
      else await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  private async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return (await this.pool.query(sql, params)).rows as T[];
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async schemaVersion(): Promise<number> {
    const [exists] = await this.query<{ present: boolean }>(
      "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
    );
    if (!exists?.present) return 0;
    const [row] = await this.query<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations");
    return row?.v ?? 0;
  }

  /** Applies migrations up to `to` (default: all) under an advisory lock, each in its own transaction. */
  async migrate(options: { to?: number } = {}): Promise<MigrationReport> {
    const target = options.to ?? latestVersion(POSTGRES_MIGRATIONS);
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toStoreError(error);
    }
    try {
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
      const from = await this.schemaVersion();
      refuseNewerSchema("postgres", from, POSTGRES_MIGRATIONS);
      await client.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
      );
      const applied: MigrationReport["applied"] = [];
      for (const migration of POSTGRES_MIGRATIONS) {
        if (migration.version <= from || migration.version > target) continue;
        try {
          await client.query("BEGIN");
          await client.query(migration.sql);
          await client.query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            [migration.version, migration.name, new Date().toISOString()],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw migrationFailed("postgres", migration, error);
        }
        applied.push({ version: migration.version, name: migration.name });
      }
      return { backend: this.backend, from, to: await this.schemaVersion(), applied };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  }

  async upsertArticle(record: ArticleRecord, options: UpsertOptions = {}): Promise<UpsertResult> {
    const article = prepareArticle(record, options.seenAt);
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw toStoreError(error);
      }
      try {
        await client.query("BEGIN");
        const result = await upsertInTransaction(
          new PostgresWriteTx(client),
          article,
          new Date().toISOString(),
        );
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        const code = (error as { code?: string }).code;
        if (code && RETRYABLE_SQLSTATES.has(code) && attempt < MAX_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
          continue;
        }
        throw toStoreError(error);
      } finally {
        client.release();
      }
    }
  }

  async getArticle(articleId: string): Promise<StoredArticle | null> {
    const [row] = await this.query<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = $1`, [
      articleId,
    ]);
    return row ? toStoredArticle(row) : null;
  }

  async getArticleByUrl(url: string): Promise<StoredArticle | null> {
    const key = canonicalOrNull(url);
    if (key === null) return null;
    const [row] = await this.query<{ storyId: string; articleId: string | null }>(
      `SELECT story_id AS "storyId", article_id AS "articleId" FROM urls WHERE url = $1`,
      [key],
    );
    if (!row) return null;
    if (row.articleId) return this.getArticle(row.articleId);
    const story = await this.getStory(row.storyId);
    return story ? this.getArticle(story.metadataFrom) : null;
  }

  private async liveStoryId(storyId: string): Promise<string> {
    const [row] = await this.query<{ id: string }>(
      "SELECT coalesce(merged_into, id) AS id FROM stories WHERE id = $1",
      [storyId],
    );
    return row?.id ?? storyId;
  }

  async listArticles(query: ListArticlesQuery): Promise<ArticlePage> {
    const filter = checkListQuery(query);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.sinceUs !== null) where.push(`updated_us >= ${param(filter.sinceUs)}`);
    if (filter.after)
      where.push(`(updated_us, id) > (${param(filter.after.updatedUs)}, ${param(filter.after.id)})`);
    if (filter.before)
      where.push(`(updated_us, id) < (${param(filter.before.updatedUs)}, ${param(filter.before.id)})`);
    if (filter.site !== null) where.push(`site = ${param(filter.site)}`);
    if (filter.storyId !== null) where.push(`story_id = ${param(await this.liveStoryId(filter.storyId))}`);
    if (filter.language !== null) {
      const language = param(filter.language);
      where.push(`(language = ${language} OR left(language, length(${language}) + 1) = ${language} || '-')`);
    }
    if (filter.paywalled !== null) where.push(`paywalled = ${param(filter.paywalled)}`);
    if (filter.words !== null) {
      if (filter.words.length === 0) return toPage([], filter);
      const search = await this.searchQuery(filter.words, filter.language);
      if (search === null) return toPage([], filter);
      const tsquery = `${param(search.query)}::tsquery`;
      if (!filter.ranked && !(await this.denseMatches(search.query))) {
        // Few matches: collect them from the GIN index (their rows' small columns, no vector read),
        // then page. Walking the change index instead would test vectors row by row, detoasting
        // each, until a page is found: all 100k for a word in 17 articles.
        const rows = await this.query<ArticleRow>(
          `WITH m AS MATERIALIZED (
             SELECT id, updated_us, site, story_id, language, paywalled FROM articles WHERE search @@ ${tsquery})
           SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id IN (
             SELECT id FROM m ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
             ORDER BY ${changeOrder(filter)} LIMIT ${param(filter.limit + 1)})
           ORDER BY ${changeOrder(filter)}`,
          params,
        );
        return toPage(rows, filter);
      }
      where.push(`search @@ ${tsquery}`);
      if (filter.ranked) {
        const after = filter.afterRank
          ? `WHERE rank < ${param(filter.afterRank.rank)}::float8 OR (rank = $${params.length}::float8 AND id > ${param(filter.afterRank.id)})`
          : "";
        // ts_rank_cd weighs A (title) 1.0, B (standfirst) 0.4, C (body) 0.2; it depends on the
        // article alone, so an unchanged article keeps its place between pages. Matches are ranked
        // by id and score alone; only the page's rows are read whole.
        const rank = this.rankOf(search, tsquery, param);
        const rows = await this.query<ArticleRow>(
          `${rank.with} SELECT ${ARTICLE_COLUMNS}, m.rank FROM (
             SELECT id, rank FROM (SELECT id, ${rank.expr} AS rank
               FROM articles ${rank.join} WHERE ${where.join(" AND ")}) AS s
             ${after} ORDER BY rank DESC, id LIMIT ${param(filter.limit + 1)}) AS m
           JOIN articles USING (id) ORDER BY m.rank DESC, id`,
          params,
        );
        return toPage(rows, filter);
      }
    }
    const rows = await this.query<ArticleRow>(
      `SELECT ${ARTICLE_COLUMNS} FROM articles ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY ${changeOrder(filter)} LIMIT ${param(filter.limit + 1)}`,
      params,
    );
    return toPage(rows, filter);
  }

  /**
   * The words stemmed by every configuration a record can be indexed with (or by the filter's
   * language), as one tsquery of the distinct stemmings ORed; null when no configuration keeps a
   * word. Computed first and passed as a value, so the planner estimates the matches from the
   * column's statistics: a query computed inside the statement gets a fixed guess (0.5% of the
   * table) that sent rare multi-word searches along the change index, testing vectors row by row
   * (0.7 s at 100k articles), and sixteen copies of the same lexemes, as ORing every
   * configuration's query gives, made it read the whole table (2 s).
   */
  private async searchQuery(words: string[], language: string | null): Promise<SearchQuery | null> {
    const params: unknown[] = [words.join(" ")];
    const configs =
      language !== null
        ? ["'simple'::regconfig", "copydesk_regconfig($2)"]
        : SEARCH_CONFIGS.map((config) => `'${config}'::regconfig`);
    if (language !== null) params.push(language);
    const stemmings = configs.map((config) => `plainto_tsquery(${config}, $1)`).join(", ");
    const [row] = await this.query<{ query: string | null; lexemes: string[]; single: boolean }>(
      `SELECT string_agg(DISTINCT '(' || q::text || ')', ' | ') AS query,
         array_agg(DISTINCT q::text) AS lexemes, bool_and(numnode(q) = 1) AS single
       FROM unnest(ARRAY[${stemmings}]) AS q WHERE q::text <> ''`,
      params,
    );
    if (!row?.query) return null;
    return { query: row.query, lexemes: row.single ? row.lexemes : null };
  }

  /**
   * The ts_rank_cd of a match: its float8 expression, with the CTE and join it reads. For an OR of
   * single lexemes (one word, in all its stemmings) the score is the sum of the weights of their
   * occurrences, so a match that holds none of them in rank_keys (migration 5) and no two of them
   * scores what one body occurrence scores, exactly; only the other matches need their stored vector read, which for a
   * word in 1,250 of 100k articles is a few dozen reads instead of 1,250 (50 ms to 3 ms here).
   */
  private rankOf(
    search: SearchQuery,
    tsquery: string,
    param: (value: unknown) => string,
  ): { with: string; join: string; expr: string } {
    const full = `ts_rank_cd(search, ${tsquery})::float8`;
    const lexemes = search.lexemes;
    if (lexemes === null || lexemes.length > MAX_RANK_KEY_LEXEMES) return { with: "", join: "", expr: full };
    const one = "ts_rank_cd('x:1C'::tsvector, 'x'::tsquery)::float8";
    if (lexemes.length === 1) {
      return { with: "", join: "", expr: `CASE WHEN rank_keys @@ ${tsquery} THEN ${full} ELSE ${one} END` };
    }
    // The matches holding two of the stemmings, collected once and joined: a subquery in the CASE
    // can be planned as a scan repeated for every match (0.7 s for a word in 3,300 articles).
    const pairs = lexemes.flatMap((a, i) => lexemes.slice(i + 1).map((b) => `(${a} & ${b})`));
    return {
      with: `WITH pairs AS MATERIALIZED (SELECT id AS pair_id FROM articles WHERE search @@ ${param(pairs.join(" | "))}::tsquery)`,
      join: "LEFT JOIN pairs ON pair_id = id",
      expr: `CASE WHEN rank_keys @@ ${tsquery} OR pair_id IS NOT NULL THEN ${full} ELSE ${one} END`,
    };
  }

  /**
   * Whether the planner would read the whole table to collect the matches of `query`: then they
   * are dense enough (a few percent of the articles and up) that walking the change index finds a
   * page after a few hundred rows. The planner knows the common lexemes from the column's
   * statistics; any other word it guesses at 0.5% of the table, and gets the index.
   */
  private async denseMatches(query: string): Promise<boolean> {
    const [row] = await this.query<{ "QUERY PLAN": { Plan: { "Node Type": string } }[] }>(
      "EXPLAIN (FORMAT JSON) SELECT 1 FROM articles WHERE search @@ $1::tsquery",
      [query],
    );
    return row?.["QUERY PLAN"][0]?.Plan["Node Type"] === "Seq Scan";
  }

  async listRevisions(articleId: string): Promise<ArticleRevision[]> {
    const rows = await this.query<RevisionRow>(
      `SELECT ${REVISION_COLUMNS} FROM revisions WHERE article_id = $1 ORDER BY revision`,
      [articleId],
    );
    return rows.map(toRevision);
  }

  async getStory(storyId: string): Promise<StoryView | null> {
    const live = await this.liveStoryId(storyId);
    const rows = await this.query<MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM articles WHERE story_id = $1 ORDER BY seq LIMIT $2`,
      [live, STORY_MEMBERS_MAX],
    );
    return buildStoryView(live, rows.map(toStoryMember));
  }

  async putSnapshot(snapshot: PageSnapshot): Promise<void> {
    const v = snapshotValues(snapshot);
    await this.query(
      `INSERT INTO snapshots (url, requested_url, requested_key, final_url, final_key, site, status, headers,
         charset, content_type, etag, last_modified, fetched_at, bytes, body_gzip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (url) DO UPDATE SET requested_url = excluded.requested_url,
         requested_key = excluded.requested_key, final_url = excluded.final_url, final_key = excluded.final_key,
         site = excluded.site, status = excluded.status, headers = excluded.headers, charset = excluded.charset,
         content_type = excluded.content_type, etag = excluded.etag, last_modified = excluded.last_modified,
         fetched_at = excluded.fetched_at, bytes = excluded.bytes, body_gzip = excluded.body_gzip
       WHERE excluded.fetched_at >= snapshots.fetched_at`,
      [
        v.url,
        v.requestedUrl,
        v.requestedKey,
        v.finalUrl,
        v.finalKey,
        v.site,
        v.status,
        v.headers,
        v.charset,
        v.contentType,
        v.etag,
        v.lastModified,
        v.fetchedAt,
        v.bytes,
        v.bodyGzip,
      ],
    );
  }

  async getLatestSnapshot(url: string): Promise<PageSnapshot | null> {
    const key = canonicalOrNull(url);
    if (key === null) return null;
    const [row] = await this.query<SnapshotRow>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE url = $1 OR requested_key = $1 OR final_key = $1
       ORDER BY (url = $1) DESC, fetched_at DESC LIMIT 1`,
      [key],
    );
    return row ? toSnapshot(row) : null;
  }

  async *iterateSnapshots(query: SnapshotQuery = {}): AsyncIterable<PageSnapshot> {
    const since = snapshotSinceKey(query.since);
    const site = query.site ? query.site.toLowerCase().replace(/^www\d?\./, "") : null;
    let after: { fetchedAt: string; url: string } = { fetchedAt: "", url: "" };
    for (;;) {
      const rows = await this.query<SnapshotRow>(
        `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots
         WHERE ($1::text IS NULL OR fetched_at >= $1) AND ($2::text IS NULL OR site = $2)
           AND (fetched_at, url) > ($3, $4)
         ORDER BY fetched_at, url LIMIT $5`,
        [since, site, after.fetchedAt, after.url, SNAPSHOT_BATCH],
      );
      for (const row of rows) yield toSnapshot(row);
      const last = rows[rows.length - 1];
      if (!last || rows.length < SNAPSHOT_BATCH) return;
      after = { fetchedAt: last.fetchedAt, url: last.url };
    }
  }

  /** Keyset batches rather than one server-side cursor: no connection is held between batches. */
  async *exportArticles(query: ExportQuery = {}): AsyncIterable<ExportLine> {
    const sinceUs = query.since === undefined ? null : instantToUs(query.since);
    const site = query.site ? query.site.toLowerCase().replace(/^www\d?\./, "") : null;
    let after = { updatedUs: -1, id: "" };
    for (;;) {
      const rows = await this.query<ArticleRow>(
        `SELECT ${ARTICLE_COLUMNS} FROM articles
         WHERE ($1::bigint IS NULL OR updated_us >= $1) AND ($2::text IS NULL OR site = $2)
           AND (updated_us, id) > ($3, $4)
         ORDER BY updated_us, id LIMIT $5`,
        [sinceUs, site, after.updatedUs, after.id, EXPORT_BATCH],
      );
      for (const row of rows) yield exportLineOf(row);
      const last = rows[rows.length - 1];
      if (!last || rows.length < EXPORT_BATCH) return;
      after = { updatedUs: last.updatedUs, id: last.id };
    }
  }

  async stats(): Promise<StoreStats> {
    const [row] = await this.query<StoreStats>(
      `SELECT (SELECT count(*) FROM articles)::int AS articles,
              (SELECT count(*) FROM revisions)::int AS revisions,
              (SELECT count(*) FROM stories WHERE merged_into IS NULL)::int AS stories,
              (SELECT count(*) FROM urls)::int AS urls,
              (SELECT count(*) FROM snapshots)::int AS snapshots`,
    );
    return row as StoreStats;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Connection failures become STORE_UNAVAILABLE (retry later); the rest are bugs and pass through. */
function toStoreError(error: unknown): unknown {
  if (error instanceof CopydeskError) return error;
  const code = (error as { code?: string }).code ?? "";
  if (
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "57P01", "57P03", "53300"].includes(
      code,
    ) ||
    code.startsWith("08")
  ) {
    return new CopydeskError("STORE_UNAVAILABLE", `PostgreSQL is unavailable: ${(error as Error).message}`, {
      cause: error,
      retryAfterMs: 1000,
    });
  }
  return error;
}
