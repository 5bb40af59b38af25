import type { Migration } from "../migration.js";

/**
 * The PostgreSQL schema, one step per version, kept in step with the SQLite one (same tables and
 * meaning). Never edit a released step: add the next one. Times are ISO-8601 UTC text, so both
 * backends compare and return them identically; `updated_us` is the change clock in microseconds.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "articles, revisions, stories and the URL index",
    sql: `
CREATE TABLE stories (
  seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
  id TEXT PRIMARY KEY,
  merged_into TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX stories_merged_into ON stories (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE articles (
  seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  site TEXT NOT NULL,
  story_id TEXT NOT NULL,
  story_link TEXT,
  story_similarity DOUBLE PRECISION,
  revision INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  updated_us BIGINT NOT NULL,
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
);
CREATE INDEX urls_story ON urls (story_id);
CREATE INDEX urls_article ON urls (article_id);

CREATE TABLE store_clock (id INTEGER PRIMARY KEY CHECK (id = 1), last_us BIGINT NOT NULL);
INSERT INTO store_clock (id, last_us) VALUES (1, 0);
`,
  },
  {
    version: 2,
    name: "list filters, page snapshots and near-duplicate sketches",
    sql: `
ALTER TABLE articles ADD COLUMN title TEXT;
ALTER TABLE articles ADD COLUMN language TEXT;
ALTER TABLE articles ADD COLUMN paywalled BOOLEAN NOT NULL DEFAULT false;
UPDATE articles SET
  title = record::jsonb ->> 'title',
  language = lower(record::jsonb ->> 'language'),
  paywalled = coalesce((record::jsonb -> 'paywall' ->> 'truncated')::boolean, false)
    OR coalesce((record::jsonb -> 'paywall' ->> 'accessibleForFree')::boolean = false, false);
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
  bytes BIGINT NOT NULL,
  body_gzip BYTEA NOT NULL
);
CREATE INDEX snapshots_requested ON snapshots (requested_key);
CREATE INDEX snapshots_final ON snapshots (final_key);
CREATE INDEX snapshots_fetched ON snapshots (fetched_at, url);
CREATE INDEX snapshots_site ON snapshots (site, fetched_at, url);

CREATE TABLE sketches (
  article_seq BIGINT PRIMARY KEY,
  shingles BYTEA NOT NULL
);
CREATE TABLE sketch_bands (
  band_key BIGINT NOT NULL,
  article_seq BIGINT NOT NULL,
  PRIMARY KEY (band_key, article_seq)
);
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
  article_seq BIGINT PRIMARY KEY,
  signature BYTEA NOT NULL,
  shingles BYTEA NOT NULL
);
CREATE TABLE sketch_bands (
  band_key BIGINT NOT NULL,
  article_seq BIGINT NOT NULL,
  PRIMARY KEY (band_key, article_seq)
);
`,
  },
  {
    version: 4,
    name: "full-text search over title, standfirst and body (tsvector, by the record's language)",
    // A record's language (its BCP 47 primary subtag) picks the stemmer; unknown ones get 'simple'.
    // Keep copydesk_regconfig in step with SEARCH_CONFIGS (src/store/search.ts). The vector is written
    // by the upsert's own statements (postgres-write-tx.ts), not a trigger: only they know the text.
    sql: `
CREATE FUNCTION copydesk_regconfig(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT (CASE split_part(lower(coalesce(language, '')), '-', 1)
    WHEN 'da' THEN 'pg_catalog.danish'
    WHEN 'nl' THEN 'pg_catalog.dutch'
    WHEN 'en' THEN 'pg_catalog.english'
    WHEN 'fi' THEN 'pg_catalog.finnish'
    WHEN 'fr' THEN 'pg_catalog.french'
    WHEN 'de' THEN 'pg_catalog.german'
    WHEN 'hu' THEN 'pg_catalog.hungarian'
    WHEN 'it' THEN 'pg_catalog.italian'
    WHEN 'no' THEN 'pg_catalog.norwegian'
    WHEN 'nb' THEN 'pg_catalog.norwegian'
    WHEN 'nn' THEN 'pg_catalog.norwegian'
    WHEN 'pt' THEN 'pg_catalog.portuguese'
    WHEN 'ro' THEN 'pg_catalog.romanian'
    WHEN 'ru' THEN 'pg_catalog.russian'
    WHEN 'es' THEN 'pg_catalog.spanish'
    WHEN 'sv' THEN 'pg_catalog.swedish'
    WHEN 'tr' THEN 'pg_catalog.turkish'
    ELSE 'pg_catalog.simple' END)::regconfig
$fn$;
CREATE FUNCTION copydesk_search_vector(language text, title text, standfirst text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT setweight(to_tsvector(copydesk_regconfig(language), coalesce(title, '')), 'A')
    || setweight(to_tsvector(copydesk_regconfig(language), coalesce(standfirst, '')), 'B')
    || setweight(to_tsvector(copydesk_regconfig(language), coalesce(body, '')), 'C')
$fn$;
ALTER TABLE articles ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector;
UPDATE articles SET search = copydesk_search_vector(language, record::jsonb ->> 'title',
  record::jsonb ->> 'standfirst', record::jsonb -> 'body' ->> 'text');
CREATE INDEX articles_search ON articles USING gin (search);
`,
  },
  {
    version: 5,
    name: "ranking keys: the lexemes that score above one body occurrence, kept in the row",
    // ts_rank_cd of a query that is an OR of single lexemes sums the weight of each occurrence: one
    // body (C) occurrence scores exactly ts_rank_cd('x:1C', 'x'), and only a lexeme of the title or
    // standfirst, or one with two positions or more, scores above it. rank_keys holds those lexemes,
    // without positions: a few dozen, small enough to stay in the row, so a one-word ranked search
    // reads the stored vector (out of line, ~3 KB) only for the matches that can score above the
    // rest (postgres-store.ts, listArticles). Generated from the vector, so no writer computes it.
    sql: `
CREATE FUNCTION copydesk_rank_keys(search tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT coalesce(array_to_tsvector(array_agg(lexeme)), ''::tsvector) FROM unnest(search)
  WHERE cardinality(positions) >= 2 OR weights && ARRAY['A', 'B']::text[]
$fn$;
ALTER TABLE articles ADD COLUMN rank_keys tsvector GENERATED ALWAYS AS (copydesk_rank_keys(search)) STORED;
ALTER TABLE articles ALTER COLUMN rank_keys SET STORAGE MAIN;
-- Every search reads the GIN index's pending list of not yet merged entries in full; with the 4 MB
-- default a 100k bulk fill left 148 MB in it, and the planner rightly fled to a sequential scan that
-- read every vector (1.2 s for a word in 3,800 articles, 42 ms once merged). A small list is
-- merged more often, in batches still.
ALTER INDEX articles_search SET (gin_pending_list_limit = 256);
`,
  },
];
