import { CopydeskError } from "../domain/errors.js";
import type { StoreBackend } from "./article-store.js";

/** One step of a backend's schema, applied in its own transaction and recorded in schema_migrations. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, migration) => Math.max(max, migration.version), 0);
}

/** Stops a process that would write a schema it does not know (an older copydesk on a newer database). */
export function refuseNewerSchema(
  backend: StoreBackend,
  current: number,
  migrations: readonly Migration[],
): void {
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new CopydeskError(
      "STORE_SCHEMA_NEWER",
      `the ${backend} database has schema version ${current}, newer than this copydesk knows (${latest}): upgrade copydesk`,
      { details: { backend, current, latest } },
    );
  }
}

export function migrationFailed(backend: StoreBackend, migration: Migration, cause: unknown): CopydeskError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new CopydeskError(
    "STORE_MIGRATION_FAILED",
    `${backend} migration ${migration.version} (${migration.name}) failed: ${message}`,
    { cause, details: { backend, version: migration.version } },
  );
}
