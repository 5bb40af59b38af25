/**
 * copydesk as a library (`import { parsePage } from "copydesk"`): the stages of the pipeline a
 * program can call itself. Extract a page you already have, fetch one politely, open the store the
 * pipeline writes to. The CLI, the queue and the API are not part of it.
 */

// Configuration as the CLI reads it from the environment (or from the object you pass).
export { type Config, loadConfig } from "./config.js";
// The record every stage speaks, its zod schema and its JSON Schema.
export {
  type ArticleImage,
  ArticleImageSchema,
  type ArticleRecord,
  ArticleRecordSchema,
  articleJsonSchema,
  EXTRACTOR_NAME,
  EXTRACTOR_VERSION,
  type MissableField,
  PaywallSchema,
  type Provenance,
  type ProvenanceRole,
  ProvenanceSchema,
} from "./domain/article.js";
// Failures, each with a stable code and what to do about it: retry, skip or stop.
export {
  CopydeskError,
  ERROR_CODES,
  type ErrorAction,
  type ErrorCode,
  hasErrorCode,
  isCopydeskError,
} from "./domain/errors.js";
// One line of `copydesk export` (NDJSON), its zod schema and its JSON Schema (docs/export-line.schema.json).
export {
  EXPORT_LINE_SCHEMA_ID,
  EXPORT_LINE_VERSION,
  type ExportLine,
  ExportLineSchema,
  exportLineJsonSchema,
} from "./domain/export-line.js";
export type { ConditionalValidators, FetchedPage, PageSnapshot, ParsePageInput } from "./domain/page.js";
export { parseInputFor } from "./domain/page.js";
export { canonicalizeUrl } from "./domain/url.js";
// Fetching with robots.txt, per-host politeness, the SSRF guard and size and time limits.
export {
  createFetcher,
  type Fetcher,
  type FetcherSettings,
  type FetchOptions,
  type FetchResult,
  fetcherSettingsFromConfig,
  fetchPageOnce,
  type NotModified,
} from "./fetchers/fetch-page.js";
export type { DomEngine } from "./parsers/engine/dom.js";
// HTML page in, article record out: pure, no I/O.
export { type ParsePageOptions, parsePage } from "./parsers/parse-page.js";

// The article store: SQLite by default, PostgreSQL with DATABASE_URL.
export type * from "./store/article-store.js";
export { type OpenStoreOptions, openStore } from "./store/index.js";
