import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as ParsePageModule from "../../src/parsers/parse-page.js";
import { REPO_ROOT } from "./corpus.js";

/**
 * copydesk's extractor, imported only when a benchmark needs it, so the baseline half still runs while
 * src/parsers/parse-page.ts is missing or half-edited in the shared working tree.
 */

export type ParsePage = typeof ParsePageModule.parsePage;

export const PARSE_PAGE_PATH = join(REPO_ROOT, "src", "parsers", "parse-page.ts");

/** Any fixed instant: the benchmarks score content, not freshness. */
export const BENCH_FETCHED_AT = "2024-01-01T00:00:00.000Z";

export function copydeskAvailable(): boolean {
  return existsSync(PARSE_PAGE_PATH);
}

export async function loadParsePage(): Promise<ParsePage> {
  if (!copydeskAvailable()) throw new Error(`copydesk's extractor is not there yet: ${PARSE_PAGE_PATH}`);
  const module = (await import(pathToFileURL(PARSE_PAGE_PATH).href)) as Partial<typeof ParsePageModule>;
  if (typeof module.parsePage !== "function") {
    throw new Error(`${PARSE_PAGE_PATH} does not export a parsePage function`);
  }
  return module.parsePage;
}
