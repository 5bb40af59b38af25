import type { ArticleRecord } from "../../src/domain/article.js";
import type { PostgresArticleStore } from "../../src/store/postgres/postgres-store.js";
import { prepareArticle } from "../../src/store/prepare.js";
import type { SqliteArticleStore } from "../../src/store/sqlite/sqlite-store.js";

/**
 * Fills a fresh store with the rows and full-text entries `upsertArticle` would write for each
 * record (article, founder story, canonical URL, search text; no revisions, aliases or story
 * linking), in a fraction of the time: for measuring reads and search at volume. The change clock
 * ticks once per article, in index order, a millisecond apart and ending now (as if written in the
 * last n ms, so the feeds find them where they look first). Upsert figures are not measured this way.
 */
export function bulkFillSqlite(
  store: SqliteArticleStore,
  n: number,
  recordAt: (i: number) => ArticleRecord,
): void {
  const db = store.database;
  const tickAt = clockTicks(n);
  const article =
    db.prepare(`INSERT INTO articles (id, url, site, story_id, story_link, revision, content_hash,
      title, language, paywalled, fetched_at, first_seen_at, last_seen_at, updated_us, record)
    VALUES (?, ?, ?, ?, 'founder', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const story = db.prepare("INSERT INTO stories (id, created_at) VALUES (?, ?)");
  const url = db.prepare("INSERT INTO urls (url, story_id, article_id, kind) VALUES (?, ?, ?, 'canonical')");
  const text = db.prepare("INSERT INTO articles_fts (rowid, title, standfirst, body) VALUES (?, ?, ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const a = prepareArticle(recordAt(i));
      story.run(a.founderStoryId, a.fetchedAt);
      url.run(a.url, a.founderStoryId, a.articleId);
      const { lastInsertRowid } = article.run(
        a.articleId,
        a.url,
        a.site,
        a.founderStoryId,
        a.contentHash,
        a.title,
        a.language,
        a.paywalled ? 1 : 0,
        a.fetchedAt,
        a.seenAt,
        a.seenAt,
        tickAt(i),
        a.json,
      );
      text.run(lastInsertRowid, a.title, a.record.standfirst, a.record.body.text);
    }
    db.prepare("UPDATE store_clock SET last_us = ?").run(tickAt(n));
  })();
}

const PG_BATCH = 500;

/** Tick i of n, in microseconds: n - i ms before now, so tick n is now. */
function clockTicks(n: number): (i: number) => number {
  const nowUs = Date.now() * 1000;
  return (i) => nowUs - (n - i) * 1000;
}

/** The PostgreSQL twin of bulkFillSqlite: batches of 500 rows, the tsvector computed by the server. */
export async function bulkFillPostgres(
  store: PostgresArticleStore,
  n: number,
  recordAt: (i: number) => ArticleRecord,
  progress: (done: number) => void = () => undefined,
): Promise<void> {
  const tickAt = clockTicks(n);
  for (let from = 0; from < n; from += PG_BATCH) {
    const batch = Array.from({ length: Math.min(PG_BATCH, n - from) }, (_, k) => ({
      a: prepareArticle(recordAt(from + k)),
      tick: tickAt(from + k),
    }));
    const column = <T>(pick: (row: (typeof batch)[number]) => T) => batch.map(pick);
    await store.pool.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
           $8::boolean[], $9::text[], $10::text[], $11::bigint[], $12::text[], $13::text[], $14::text[])
           AS t(id, url, site, story_id, content_hash, title, language, paywalled, fetched_at, seen_at,
             updated_us, record, standfirst, body)),
       story AS (INSERT INTO stories (id, created_at) SELECT story_id, fetched_at FROM input),
       url AS (INSERT INTO urls (url, story_id, article_id, kind) SELECT url, story_id, id, 'canonical' FROM input)
       INSERT INTO articles (id, url, site, story_id, story_link, revision, content_hash, title, language,
         paywalled, fetched_at, first_seen_at, last_seen_at, updated_us, record, search)
       SELECT id, url, site, story_id, 'founder', 1, content_hash, title, language, paywalled, fetched_at,
         seen_at, seen_at, updated_us, record, copydesk_search_vector(language, title, standfirst, body)
       FROM input`,
      [
        column((r) => r.a.articleId),
        column((r) => r.a.url),
        column((r) => r.a.site),
        column((r) => r.a.founderStoryId),
        column((r) => r.a.contentHash),
        column((r) => r.a.title),
        column((r) => r.a.language),
        column((r) => r.a.paywalled),
        column((r) => r.a.fetchedAt),
        column((r) => r.a.seenAt),
        column((r) => r.tick),
        column((r) => r.a.json),
        column((r) => r.a.record.standfirst),
        column((r) => r.a.record.body.text),
      ],
    );
    progress(from + batch.length);
  }
  await store.pool.query("UPDATE store_clock SET last_us = $1", [tickAt(n)]);
  // VACUUM merges the search index's pending list, as autovacuum would have by the time anyone
  // searches a store filled at this rate; ANALYZE gives the planner the statistics.
  await store.pool.query("VACUUM ANALYZE");
}
