import { createPageFormatter, parseOutputFormat } from "../batch/formats.js";
import { checkFetchedHtml } from "../batch/page-html.js";
import { readUrlList, urlPages } from "../batch/url-pages.js";
import { loadConfig } from "../config.js";
import { CopydeskError } from "../domain/errors.js";
import { parseInputFor } from "../domain/page.js";
import { createFetcher, fetcherSettingsFromConfig, fetchPageOnce } from "../fetchers/fetch-page.js";
import { runBatchCommand } from "./batch-command.js";
import { checkEngine } from "./options.js";

interface IngestOptions {
  urls?: string;
  format: string;
  engine: string;
  threads?: string;
  compact?: boolean;
  json?: boolean;
  progress?: boolean;
}

/**
 * The manual path: fetch one URL and extract its article record in this process, with no queue,
 * no store and no server. What it prints is what `copydesk extract` prints for the same page.
 * With --urls, every URL of a list, fetched a few at a time (politely: per-host delay and robots.txt
 * as the workers do) and extracted in a thread pool, as NDJSON like a batch `extract`.
 */
export const ingestCommand = async (url: string | undefined, options: IngestOptions) => {
  const engine = checkEngine(options.engine);
  const format = parseOutputFormat(options.format);
  if (options.urls !== undefined) {
    if (url !== undefined) throw usage("give one URL or --urls <file>, not both");
    const urls = await readUrlList(options.urls);
    const fetcher = createFetcher(fetcherSettingsFromConfig(loadConfig()));
    try {
      // Fetches mostly wait on the network and on each host's delay: more in flight than threads.
      await runBatchCommand("ingest", { ...options, engine, format }, async () => urlPages(urls, fetcher), 8);
    } finally {
      await fetcher.close();
    }
    return;
  }
  if (url === undefined) throw usage("give the URL of an article, or --urls <file> for a list");
  const result = await fetchPageOnce(url, loadConfig());
  if (result.kind !== "page") {
    // Only a conditional GET can answer 304, and ingest never sends one.
    throw new CopydeskError("FETCH_HTTP_PERMANENT", `${url} answered 304 to an unconditional request`);
  }
  checkFetchedHtml(result.page.raw, result.page.html, url);
  // Loaded here: the list path parses in its pool's threads and never needs the parser in this one.
  const { parsePage } = await import("../parsers/parse-page.js");
  const record = parsePage(parseInputFor(result.page), { engine });
  const formatter = await createPageFormatter(format);
  process.stdout.write(formatter.page(record, { compact: options.compact === true }));
};

function usage(message: string): CopydeskError {
  return new CopydeskError("INPUT_INVALID", `${message} (see \`copydesk ingest --help\`)`);
}
