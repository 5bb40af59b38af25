import type { Config } from "../config.js";
import type { ArticleStore } from "./article-store.js";
import { PostgresArticleStore } from "./postgres/postgres-store.js";
import { SqliteArticleStore } from "./sqlite/sqlite-store.js";

export type * from "./article-store.js";
export { PostgresArticleStore } from "./postgres/postgres-store.js";
export { SqliteArticleStore } from "./sqlite/sqlite-store.js";

export interface OpenStoreOptions {
  /** Apply pending migrations (default true). The newer-schema check runs either way. */
  migrate?: boolean;
}

/**
 * The store the configuration asks for: PostgreSQL when DATABASE_URL is set (workers on several
 * machines share it), else the SQLite file at config.sqlitePath (its folder is created), so nothing
 * has to be installed to try the product. Migrations are applied on open.
 */
export async function openStore(
  config: Pick<Config, "sqlitePath" | "databaseUrl">,
  options: OpenStoreOptions = {},
): Promise<ArticleStore> {
  if (config.databaseUrl) return PostgresArticleStore.open(config.databaseUrl, options);
  return SqliteArticleStore.open(config.sqlitePath, options);
}
