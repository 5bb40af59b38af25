import type { Migration } from "../migration.js";

/**
 * The SQLite schema, one step per version. Never edit a released step: add the next one.
 * Times are ISO-8601 UTC text (sortable); `updated_us` is the store's change clock in microseconds.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "articles, revisions, stories and the URL index",
    sql: `
CREATE TABLE stories (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  merged_into TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX stories_merged_into ON stories (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE articles (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL UNIQUE,
  site TEXT NOT NULL,
  story_id TEXT NOT NULL,
  story_link TEXT,
  story_similarity REAL,
  revision INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  updated_us INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX articles_updated ON articles (updated_us, id);
CREATE INDEX articles_site ON articles (site, updated_us, id);
CREATE INDEX articles_story ON articles (story_id, updated_us, id);

CREATE TABLE revisions (
  article_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  changed_fields TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (article_id, revision)
);

CREATE TABLE urls (
  url TEXT PRIMARY KEY,
  story_id TEXT NOT NULL,
  article_id TEXT,
  kind TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX urls_story ON urls (story_id);
CREATE INDEX urls_article ON urls (article_id);

CREATE TABLE store_clock (id INTEGER PRIMARY KEY CHECK (id = 1), last_us INTEGER NOT NULL);
INSERT INTO store_clock (id, last_us) VALUES (1, 0);
`,
  },
  {
    version: 2,
    name: "list filters, page snapshots and near-duplicate sketches",
    sql: `
ALTER TABLE articles ADD COLUMN title TEXT;
ALTER TABLE articles ADD COLUMN language TEXT;
ALTER TABLE articles ADD COLUMN paywalled INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET
  title = json_extract(record, '$.title'),
  language = lower(json_extract(record, '$.language')),
  paywalled = (coalesce(json_extract(record, '$.paywall.truncated'), 0) = 1
    OR coalesce(json_extract(record, '$.paywall.accessibleForFree'), 1) = 0);
CREATE INDEX articles_language ON articles (language, updated_us, id);
CREATE INDEX articles_paywalled ON articles (paywalled, updated_us, id);

CREATE TABLE snapshots (
  url TEXT PRIMARY KEY,
  requested_url TEXT NOT NULL,
  requested_key TEXT NOT NULL,
  final_url TEXT NOT NULL,
  final_key TEXT NOT NULL,
  site TEXT NOT NULL,
  status INTEGER NOT NULL,
  headers TEXT NOT NULL,
  charset TEXT NOT NULL,
  content_type TEXT NOT NULL,
  etag TEXT,
  last_modified TEXT,
  fetched_at TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  body_gzip BLOB NOT NULL
);
CREATE INDEX snapshots_requested ON snapshots (requested_key);
CREATE INDEX snapshots_final ON snapshots (final_key);
CREATE INDEX snapshots_fetched ON snapshots (fetched_at, url);
CREATE INDEX snapshots_site ON snapshots (site, fetched_at, url);

CREATE TABLE sketches (
  article_seq INTEGER PRIMARY KEY,
  shingles BLOB NOT NULL
);
CREATE TABLE sketch_bands (
  band_key INTEGER NOT NULL,
  article_seq INTEGER NOT NULL,
  PRIMARY KEY (band_key, article_seq)
) WITHOUT ROWID;
CREATE INDEX sketch_bands_article ON sketch_bands (article_seq);
`,
  },
  {
    version: 3,
    name: "near-duplicate sketches keep their signature; 24 one-row LSH bands",
    // The band layout changed (64 two-row bands → 24 one-row bands) and old sketches have no
    // signature to recompute keys from: they are dropped, and an article gets a new sketch at its
    // next revision. A revision now finds its old bands from the signature, so the index by
    // article (one more random write per band) goes.
    sql: `
DROP TABLE sketch_bands;
DROP TABLE sketches;
CREATE TABLE sketches (
  article_seq INTEGER PRIMARY KEY,
  signature BLOB NOT NULL,
  shingles BLOB NOT NULL
);
CREATE TABLE sketch_bands (
  band_key INTEGER NOT NULL,
  article_seq INTEGER NOT NULL,
  PRIMARY KEY (band_key, article_seq)
) WITHOUT ROWID;
`,
  },
  {
    version: 4,
    name: "full-text search over title, standfirst and body (FTS5)",
    // Contentless (the text is in `record` already) and keyed by the article's seq; contentless_delete
    // lets a revision replace its row. Porter stemming over unicode61 (case and diacritics folded):
    // English stems for every language, since one FTS5 table has one tokenizer. Weights are given at
    // query time (bm25).
    sql: `
CREATE VIRTUAL TABLE articles_fts USING fts5 (
  title, standfirst, body,
  content = '', contentless_delete = 1,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (rowid, title, standfirst, body)
SELECT seq, json_extract(record, '$.title'), json_extract(record, '$.standfirst'),
  json_extract(record, '$.body.text')
FROM articles;
`,
  },
];
