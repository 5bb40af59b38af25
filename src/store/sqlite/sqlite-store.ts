import { mkdirSync, realpathSync } from "node:fs";
import path from "node:path";
import BetterSqlite3, { type Database, type Statement } from "better-sqlite3";
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
  type ListFilter,
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
import { fts5Match } from "../search.js";
import { buildStoryView } from "../story-view.js";
import { upsertInTransaction } from "../upsert.js";
import { SQLITE_MIGRATIONS } from "./migrations.js";
import { SqliteWriteStatements, SqliteWriteTx } from "./sqlite-write-tx.js";

export interface SqliteStoreOptions {
  /** Apply pending migrations on open (default true); the newer-schema check always runs. */
  migrate?: boolean;
  /** How long a writer waits for another process's write lock, in ms (default 10 s). */
  busyTimeoutMs?: number;
}

const EXPORT_BATCH = 500;
const SNAPSHOT_BATCH = 50;
const STORY_MEMBERS_MAX = 1000;
const READER_MMAP_BYTES = 1 << 30;
/** Index entries a change-order walk reads in the time of one table row looked up (measured, rough). */
const WALK_STEPS_PER_LOOKUP = 20;

/**
 * In one process, writers to the same file take turns here: an upsert awaits between its
 * statements, and a second connection's BEGIN IMMEDIATE would block the thread the first needs to
 * finish. Across processes, SQLite's own lock and busy_timeout do the same job.
 */
const writeQueues = new Map<string, Promise<unknown>>();

function serialize<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = writeQueues.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  writeQueues.set(key, settled);
  void settled.then(() => {
    if (writeQueues.get(key) === settled) writeQueues.delete(key);
  });
  return run;
}

/**
 * The embedded backend: one file under ./data/ by default, WAL so readers never wait for the writer.
 * Writes go through one connection inside BEGIN IMMEDIATE; reads use a second connection, so they
 * only ever see committed data.
 */
export class SqliteArticleStore implements ArticleStore {
  readonly backend = "sqlite" as const;
  private readonly writer: Database;
  private readonly reader: Database;
  private readonly lockKey: string;
  private writeStatements: SqliteWriteStatements | null = null;
  private readonly statements = new Map<string, Statement>();

  private constructor(
    readonly file: string,
    options: SqliteStoreOptions,
  ) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const timeout = options.busyTimeoutMs ?? 10_000;
    try {
      this.writer = new BetterSqlite3(file, { timeout });
      this.writer.pragma("journal_mode = WAL");
      this.writer.pragma("synchronous = NORMAL");
      // 64 MiB of page cache: the URL and LSH indexes are written at random places.
      this.writer.pragma("cache_size = -65536");
      this.reader = new BetterSqlite3(file, { timeout });
      this.reader.pragma("query_only = ON");
      // Reads through a memory map: a search touches one table page per article it returns (one per
      // match when filtered), and a mapped page costs no read() and no copy into the page cache.
      this.reader.pragma(`mmap_size = ${READER_MMAP_BYTES}`);
    } catch (error) {
      throw new CopydeskError("STORE_UNAVAILABLE", `cannot open SQLite database ${file}: ${String(error)}`, {
        cause: error,
      });
    }
    this.lockKey = realpathSync(file);
  }

  static async open(file: string, options: SqliteStoreOptions = {}): Promise<SqliteArticleStore> {
    const store = new SqliteArticleStore(file, options);
    try {
      if (options.migrate === false) store.checkSchema();
      else await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** The schema version of the file, 0 for an empty one. */
  schemaVersion(): number {
    const exists = this.writer
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    if (!exists) return 0;
    const row = this.writer.prepare("SELECT max(version) AS v FROM schema_migrations").get() as {
      v: number | null;
    };
    return row.v ?? 0;
  }

  private checkSchema(): void {
    refuseNewerSchema("sqlite", this.schemaVersion(), SQLITE_MIGRATIONS);
  }

  /** Applies migrations up to `to` (default: all); each in its own immediate transaction. */
  async migrate(options: { to?: number } = {}): Promise<MigrationReport> {
    const target = options.to ?? latestVersion(SQLITE_MIGRATIONS);
    return serialize(this.lockKey, async () => {
      const from = this.schemaVersion();
      refuseNewerSchema("sqlite", from, SQLITE_MIGRATIONS);
      this.writer.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
      );
      const applied: MigrationReport["applied"] = [];
      for (const migration of SQLITE_MIGRATIONS) {
        if (migration.version > target) break;
        const apply = this.writer.transaction(() => {
          // Another process may have applied it while we waited for the lock.
          if (this.schemaVersion() >= migration.version) return false;
          this.writer.exec(migration.sql);
          this.writer
            .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
            .run(migration.version, migration.name, new Date().toISOString());
          return true;
        });
        try {
          if (apply.immediate()) applied.push({ version: migration.version, name: migration.name });
        } catch (error) {
          throw migrationFailed("sqlite", migration, error);
        }
      }
      this.writeStatements = null;
      this.statements.clear();
      return { backend: this.backend, from, to: this.schemaVersion(), applied };
    });
  }

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.reader.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async upsertArticle(record: ArticleRecord, options: UpsertOptions = {}): Promise<UpsertResult> {
    const article = prepareArticle(record, options.seenAt);
    return serialize(this.lockKey, async () => {
      this.writeStatements ??= new SqliteWriteStatements(this.writer);
      const tx = new SqliteWriteTx(this.writeStatements);
      this.writer.exec("BEGIN IMMEDIATE");
      try {
        const result = await upsertInTransaction(tx, article, new Date().toISOString());
        this.writer.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.writer.inTransaction) this.writer.exec("ROLLBACK");
        throw toStoreError(error);
      }
    });
  }

  async getArticle(articleId: string): Promise<StoredArticle | null> {
    const row = this.stmt(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = ?`).get(articleId) as
      | ArticleRow
      | undefined;
    return row ? toStoredArticle(row) : null;
  }

  async getArticleByUrl(url: string): Promise<StoredArticle | null> {
    const key = canonicalOrNull(url);
    if (key === null) return null;
    const row = this.stmt("SELECT story_id AS storyId, article_id AS articleId FROM urls WHERE url = ?").get(
      key,
    ) as { storyId: string; articleId: string | null } | undefined;
    if (!row) return null;
    if (row.articleId) return this.getArticle(row.articleId);
    const story = await this.getStory(row.storyId);
    return story ? this.getArticle(story.metadataFrom) : null;
  }

  private liveStoryId(storyId: string): string {
    const row = this.stmt("SELECT coalesce(merged_into, id) AS id FROM stories WHERE id = ?").get(storyId) as
      | { id: string }
      | undefined;
    return row?.id ?? storyId;
  }

  async listArticles(query: ListArticlesQuery): Promise<ArticlePage> {
    const filter = checkListQuery(query);
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.sinceUs !== null) {
      where.push("updated_us >= ?");
      params.push(filter.sinceUs);
    }
    if (filter.after) {
      where.push("(updated_us, id) > (?, ?)");
      params.push(filter.after.updatedUs, filter.after.id);
    }
    if (filter.before) {
      where.push("(updated_us, id) < (?, ?)");
      params.push(filter.before.updatedUs, filter.before.id);
    }
    if (filter.site !== null) {
      where.push("site = ?");
      params.push(filter.site);
    }
    if (filter.storyId !== null) {
      where.push("story_id = ?");
      params.push(this.liveStoryId(filter.storyId));
    }
    if (filter.language !== null) {
      where.push("(language = ? OR substr(language, 1, ?) = ?)");
      params.push(filter.language, filter.language.length + 1, `${filter.language}-`);
    }
    if (filter.paywalled !== null) {
      where.push("paywalled = ?");
      params.push(filter.paywalled ? 1 : 0);
    }
    if (filter.words !== null) {
      if (filter.words.length === 0) return toPage([], filter);
      const match = fts5Match(filter.words);
      if (filter.ranked) return this.searchRanked(match, where, params, filter);
      // A unary + keeps SQLite from looking each match up by rowid and sorting them all: it walks
      // the change-order index instead and stops at the page's end, testing each row against the
      // matches. That wins when matches are many (a common word), loses when they are few.
      const walk = this.manyMatches(match, filter.limit + 1);
      where.push(`${walk ? "+seq" : "seq"} IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)`);
      params.push(match);
    }
    const sql = `SELECT ${ARTICLE_COLUMNS} FROM articles ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY ${changeOrder(filter)} LIMIT ?`;
    const rows = this.stmt(sql).all(...params, filter.limit + 1) as ArticleRow[];
    return toPage(rows, filter);
  }

  /**
   * Whether walking the change order beats looking up every match: a walk reads about
   * rows · articles / matches index entries, the lookups one table row per match, each some
   * WALK_STEPS_PER_LOOKUP times an index step. Counting stops as soon as the answer is known.
   */
  private manyMatches(match: string, rows: number): boolean {
    const articles = (this.stmt("SELECT coalesce(max(seq), 0) AS n FROM articles").get() as { n: number }).n;
    const enough = Math.ceil(Math.sqrt((rows * articles) / WALK_STEPS_PER_LOOKUP));
    const { n } = this.stmt(
      "SELECT count(*) AS n FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
    ).get(match, enough) as { n: number };
    return n >= enough;
  }

  /**
   * Best match first: bm25 with title weighted 10, standfirst 4, body 1 (negated, so higher is
   * better), ties by id. The score depends on corpus statistics, so a write between two pages can
   * move other articles' scores a little; over an unchanged index pages neither skip nor repeat.
   */
  private searchRanked(match: string, where: string[], params: unknown[], filter: ListFilter): ArticlePage {
    if (where.length === 0) return this.searchRankedUnfiltered(match, filter);
    const conditions = [...where];
    const values = [...params];
    if (filter.afterRank) {
      conditions.push("(m.score < ? OR (m.score = ? AND id > ?))");
      values.push(filter.afterRank.rank, filter.afterRank.rank, filter.afterRank.id);
    }
    const sql = `WITH m AS MATERIALIZED (
        SELECT rowid AS seq, -bm25(articles_fts, 10.0, 4.0, 1.0) AS score FROM articles_fts WHERE articles_fts MATCH ?)
      SELECT ${ARTICLE_COLUMNS}, m.score AS rank FROM m JOIN articles ON articles.seq = m.seq
      ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""}
      ORDER BY m.score DESC, id LIMIT ?`;
    const rows = this.stmt(sql).all(match, ...values, filter.limit + 1) as ArticleRow[];
    return toPage(rows, filter);
  }

  /**
   * The same order with no filter besides the cursor, without reading every match's row: the
   * scores come from the full-text index alone, and only the rows that can be on the page are
   * joined. Those are the ones scoring at least the floor: the score of the (limit + 1 + t)-th match
   * not above the cursor's rank, t being the matches tied at that rank (some of which the cursor's
   * id excludes). Everything below the floor is outranked by more than a page of candidates.
   */
  private searchRankedUnfiltered(match: string, filter: ListFilter): ArticlePage {
    const after = filter.afterRank;
    const sql = `WITH m AS MATERIALIZED (
        SELECT rowid AS seq, -bm25(articles_fts, 10.0, 4.0, 1.0) AS score FROM articles_fts
        WHERE articles_fts MATCH @match),
      c AS MATERIALIZED (SELECT seq, score FROM m ${after ? "WHERE score <= @rank" : ""}),
      floor AS (SELECT score FROM c ORDER BY score DESC LIMIT 1
        OFFSET @limit ${after ? "+ (SELECT count(*) FROM c WHERE score = @rank)" : ""})
      SELECT ${ARTICLE_COLUMNS}, c.score AS rank FROM c JOIN articles ON articles.seq = c.seq
      WHERE c.score >= coalesce((SELECT score FROM floor), -1e308)
        ${after ? "AND (c.score < @rank OR (c.score = @rank AND id > @id))" : ""}
      ORDER BY c.score DESC, id LIMIT @limit + 1`;
    const values = after
      ? { match, limit: filter.limit, rank: after.rank, id: after.id }
      : { match, limit: filter.limit };
    const rows = this.stmt(sql).all(values) as ArticleRow[];
    return toPage(rows, filter);
  }

  async listRevisions(articleId: string): Promise<ArticleRevision[]> {
    const rows = this.stmt(
      `SELECT ${REVISION_COLUMNS} FROM revisions WHERE article_id = ? ORDER BY revision`,
    ).all(articleId) as RevisionRow[];
    return rows.map(toRevision);
  }

  async getStory(storyId: string): Promise<StoryView | null> {
    const live = this.liveStoryId(storyId);
    const rows = this.stmt(
      `SELECT ${MEMBER_COLUMNS} FROM articles WHERE story_id = ? ORDER BY seq LIMIT ?`,
    ).all(live, STORY_MEMBERS_MAX) as MemberRow[];
    return buildStoryView(live, rows.map(toStoryMember));
  }

  async putSnapshot(snapshot: PageSnapshot): Promise<void> {
    const values = snapshotValues(snapshot);
    await serialize(this.lockKey, async () => {
      this.writer
        .prepare(`
          INSERT INTO snapshots (url, requested_url, requested_key, final_url, final_key, site, status, headers,
            charset, content_type, etag, last_modified, fetched_at, bytes, body_gzip)
          VALUES (@url, @requestedUrl, @requestedKey, @finalUrl, @finalKey, @site, @status, @headers,
            @charset, @contentType, @etag, @lastModified, @fetchedAt, @bytes, @bodyGzip)
          ON CONFLICT (url) DO UPDATE SET requested_url = excluded.requested_url,
            requested_key = excluded.requested_key, final_url = excluded.final_url, final_key = excluded.final_key,
            site = excluded.site, status = excluded.status, headers = excluded.headers, charset = excluded.charset,
            content_type = excluded.content_type, etag = excluded.etag, last_modified = excluded.last_modified,
            fetched_at = excluded.fetched_at, bytes = excluded.bytes, body_gzip = excluded.body_gzip
          WHERE excluded.fetched_at >= snapshots.fetched_at`)
        .run(values);
    });
  }

  async getLatestSnapshot(url: string): Promise<PageSnapshot | null> {
    const key = canonicalOrNull(url);
    if (key === null) return null;
    const row = this.stmt(`
      SELECT ${SNAPSHOT_COLUMNS} FROM snapshots
      WHERE url = @key OR requested_key = @key OR final_key = @key
      ORDER BY (url = @key) DESC, fetched_at DESC LIMIT 1`).get({ key }) as SnapshotRow | undefined;
    return row ? toSnapshot(row) : null;
  }

  async *iterateSnapshots(query: SnapshotQuery = {}): AsyncIterable<PageSnapshot> {
    const since = snapshotSinceKey(query.since);
    const site = query.site ? query.site.toLowerCase().replace(/^www\d?\./, "") : null;
    let after: { fetchedAt: string; url: string } | null = null;
    const sql = `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots
      WHERE (@since IS NULL OR fetched_at >= @since) AND (@site IS NULL OR site = @site)
        AND (fetched_at, url) > (@afterFetchedAt, @afterUrl)
      ORDER BY fetched_at, url LIMIT @limit`;
    for (;;) {
      const rows = this.stmt(sql).all({
        since,
        site,
        afterFetchedAt: after?.fetchedAt ?? "",
        afterUrl: after?.url ?? "",
        limit: SNAPSHOT_BATCH,
      }) as SnapshotRow[];
      for (const row of rows) yield toSnapshot(row);
      const last = rows[rows.length - 1];
      if (!last || rows.length < SNAPSHOT_BATCH) return;
      after = { fetchedAt: last.fetchedAt, url: last.url };
    }
  }

  async *exportArticles(query: ExportQuery = {}): AsyncIterable<ExportLine> {
    const sinceUs = query.since === undefined ? null : instantToUs(query.since);
    const site = query.site ? query.site.toLowerCase().replace(/^www\d?\./, "") : null;
    const sql = `SELECT ${ARTICLE_COLUMNS} FROM articles
      WHERE (@sinceUs IS NULL OR updated_us >= @sinceUs) AND (@site IS NULL OR site = @site)
        AND (updated_us, id) > (@afterUs, @afterId)
      ORDER BY updated_us, id LIMIT @limit`;
    let after = { updatedUs: -1, id: "" };
    for (;;) {
      const rows = this.stmt(sql).all({
        sinceUs,
        site,
        afterUs: after.updatedUs,
        afterId: after.id,
        limit: EXPORT_BATCH,
      }) as ArticleRow[];
      for (const row of rows) yield exportLineOf(row);
      const last = rows[rows.length - 1];
      if (!last || rows.length < EXPORT_BATCH) return;
      after = { updatedUs: last.updatedUs, id: last.id };
    }
  }

  async stats(): Promise<StoreStats> {
    const count = (sql: string) => (this.stmt(sql).get() as { n: number }).n;
    return {
      articles: count("SELECT count(*) AS n FROM articles"),
      revisions: count("SELECT count(*) AS n FROM revisions"),
      stories: count("SELECT count(*) AS n FROM stories WHERE merged_into IS NULL"),
      urls: count("SELECT count(*) AS n FROM urls"),
      snapshots: count("SELECT count(*) AS n FROM snapshots"),
    };
  }

  /** The write connection, for tests and the benchmark's bulk loader. Not part of ArticleStore. */
  get database(): Database {
    return this.writer;
  }

  async close(): Promise<void> {
    await serialize(this.lockKey, async () => {
      if (this.reader.open) this.reader.close();
      if (this.writer.open) this.writer.close();
    });
  }
}

function toStoreError(error: unknown): unknown {
  if (error instanceof CopydeskError) return error;
  const code = (error as { code?: string }).code;
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
    return new CopydeskError("STORE_UNAVAILABLE", "the SQLite database is locked by another writer", {
      cause: error,
      retryAfterMs: 1000,
    });
  }
  return error;
}
