import { readFileSync, statSync } from "node:fs";
import { createPageFormatter, parseOutputFormat } from "../batch/formats.js";
import { htmlOfPage } from "../batch/page-html.js";
import { CopydeskError } from "../domain/errors.js";
import { parseHttpUrl } from "../domain/url.js";
import { loadExtractTimeoutMs } from "../extract-config.js";
import { createExtractPool } from "../queue/extract-pool.js";
import { checkEngine } from "./options.js";

interface ExtractOptions {
  url?: string;
  baseUrl?: string;
  warc?: string;
  format: string;
  fetchedAt?: string;
  contentType?: string;
  engine: string;
  threads?: string;
  compact?: boolean;
  json?: boolean;
  progress?: boolean;
}

function readInput(source: string): Buffer {
  try {
    return source === "-" ? readFileSync(0) : readFileSync(source);
  } catch (error) {
    const reason =
      error instanceof Error && "code" in error
        ? String((error as NodeJS.ErrnoException).code)
        : "unreadable";
    throw new CopydeskError(
      "INPUT_UNREADABLE",
      `cannot read ${source === "-" ? "standard input" : source} (${reason})`,
    );
  }
}

const isFolder = (input: string) => statSync(input, { throwIfNoEntry: false })?.isDirectory() === true;

/**
 * `copydesk extract`: one page (a file or standard input, with --url) printed as its record or
 * body; or a batch (several files, folders, --warc) printed as NDJSON, one line per page.
 */
export const extractCommand = async (inputs: string[], options: ExtractOptions) => {
  const engine = checkEngine(options.engine);
  const format = parseOutputFormat(options.format);
  if (options.warc !== undefined) {
    if (inputs.length > 0) throw usage("--warc reads the pages of an archive: give no files beside it");
    if (options.url !== undefined) throw usage("--url names one page; a WARC gives each record's URL");
    const warc = options.warc;
    const [{ runBatchCommand }, { warcPages }] = await Promise.all([
      import("./batch-command.js"),
      import("../batch/warc-pages.js"),
    ]);
    return runBatchCommand("extract", { ...options, engine, format }, () => warcPages(warc));
  }
  // In commander's words: the argument is optional only because --warc takes its place.
  if (inputs.length === 0) throw usage("missing required argument 'file'");
  const single =
    inputs.length === 1 && options.baseUrl === undefined && (inputs[0] === "-" || !isFolder(inputs[0] ?? ""));
  if (single) {
    if (options.url === undefined)
      throw usage("one page needs --url <url>, the URL it was fetched from (a batch takes --base-url)");
    return extractOnePage(inputs[0] ?? "-", options.url, { ...options, format });
  }
  if (options.url !== undefined)
    throw usage(
      "--url names one page; for folders or several files give --base-url, or none (each page's canonical URL)",
    );
  if (inputs.includes("-")) throw usage("- reads one page from standard input: it cannot be part of a batch");
  if (options.fetchedAt !== undefined && Number.isNaN(Date.parse(options.fetchedAt)))
    throw usage(`--fetched-at must be an ISO-8601 instant, got ${options.fetchedAt}`);
  const fetchedAt = options.fetchedAt ?? new Date().toISOString();
  // A batch's modules (the progress bar, the folder walk) are loaded only for a batch: one page
  // starts with no more than it needs.
  const [{ runBatchCommand }, { filePages }] = await Promise.all([
    import("./batch-command.js"),
    import("../batch/file-pages.js"),
  ]);
  return runBatchCommand("extract", { ...options, engine, format }, () =>
    filePages(inputs, {
      fetchedAt,
      ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
      ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
    }),
  );
};

async function extractOnePage(
  file: string,
  url: string,
  options: Omit<ExtractOptions, "format"> & { format: ReturnType<typeof parseOutputFormat> },
) {
  parseHttpUrl(url);
  const html = htmlOfPage(
    readInput(file),
    options.contentType ?? null,
    file === "-" ? "standard input" : file,
  );
  // Under the workers' limits (time, heap), in a thread of its own: a hostile page ends as
  // EXTRACT_TIMEOUT or EXTRACT_TOO_LARGE (exit 2), not as a hung or crashed command.
  const pool = createExtractPool({
    threads: 1,
    timeoutMs: loadExtractTimeoutMs(),
    keepThreadsStarted: false,
  });
  let record: Awaited<ReturnType<typeof pool.extract>>;
  try {
    record = await pool.extract(
      { html, url, fetchedAt: options.fetchedAt ?? new Date().toISOString() },
      { engine: checkEngine(options.engine) },
    );
  } finally {
    await pool.close();
  }
  const formatter = await createPageFormatter(options.format);
  process.stdout.write(formatter.page(record, { compact: options.compact === true }));
}

function usage(message: string): CopydeskError {
  return new CopydeskError("INPUT_INVALID", `${message} (see \`copydesk extract --help\`)`);
}
