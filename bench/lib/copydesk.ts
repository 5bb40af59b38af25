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

/** From this checkout, or from another tree's src/parsers/parse-page.ts (a baseline revision's). */
export async function loadParsePage(path: string = PARSE_PAGE_PATH): Promise<ParsePage> {
  if (!existsSync(path)) throw new Error(`copydesk's extractor is not there yet: ${path}`);
  const module = (await import(pathToFileURL(path).href)) as Partial<typeof ParsePageModule>;
  if (typeof module.parsePage !== "function") {
    throw new Error(`${path} does not export a parsePage function`);
  }
  return module.parsePage;
}
