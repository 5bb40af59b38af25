import { loadConfig } from "../config.js";
import { CopydeskError } from "../domain/errors.js";
import { parseInputFor } from "../domain/page.js";
import { fetchPageOnce } from "../fetchers/fetch-page.js";
import type { DomEngine } from "../parsers/engine/dom.js";
import { parsePage } from "../parsers/parse-page.js";

interface IngestOptions {
  engine: DomEngine;
  compact?: boolean;
}

/**
 * The manual path: fetch one URL and extract its article record in this process, with no queue,
 * no store and no server. What it prints is what `copydesk extract` prints for the same page.
 */
export const ingestCommand = async (url: string, options: IngestOptions) => {
  if (options.engine !== "linkedom" && options.engine !== "jsdom") {
    throw new CopydeskError("INPUT_INVALID", `--engine must be linkedom or jsdom, got ${options.engine}`);
  }
  const result = await fetchPageOnce(url, loadConfig());
  if (result.kind !== "page") {
    // Only a conditional GET can answer 304, and ingest never sends one.
    throw new CopydeskError("FETCH_HTTP_PERMANENT", `${url} answered 304 to an unconditional request`);
  }
  const record = parsePage(parseInputFor(result.page), { engine: options.engine });
  process.stdout.write(`${JSON.stringify(record, null, options.compact ? undefined : 2)}\n`);
};
