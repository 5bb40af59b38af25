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

/**
 * When the corpus pages count as fetched: the time of the run. The extractor refuses dates later
 * than the fetch (a page cannot be published after it was read), so a fixed past instant would
 * throw away the real dates of newer test pages.
 */
export const BENCH_FETCHED_AT = new Date().toISOString();

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
