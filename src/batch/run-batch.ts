import { Presets, SingleBar } from "cli-progress";
import { CopydeskError, isCopydeskError } from "../domain/errors.js";
import type { ParsePageInput } from "../domain/page.js";
import type { DomEngine } from "../parsers/engine/dom.js";
import type { ExtractPool } from "../queue/extract-pool.js";
import { errorLine, type PageFormatter } from "./formats.js";
import { LineWriter } from "./line-writer.js";

/** One page of a batch: where it came from, and how to get its HTML (a read, a fetch, a decode). */
export interface BatchPage {
  source: string;
  /** The page's URL when it is known before loading (an archive record's, a listed URL). */
  url?: string;
  /** Rejects with the typed error that becomes the page's line (INPUT_NOT_HTML, FETCH_…). */
  load(): Promise<ParsePageInput>;
}

/** The pages of a batch, pulled one at a time, so a large archive is never read whole. */
export interface BatchSource {
  pages: AsyncIterable<BatchPage>;
  /** What the progress bar counts: pages (files, URLs), or the bytes of an archive read so far. */
  progress: { unit: "pages"; total: number } | { unit: "bytes"; total: number; read(): number };
  /** What the source passed over without extracting (an archive's requests, images…), by reason. */
  skipped?: Map<string, number>;
}

export interface BatchOptions {
  pool: ExtractPool;
  engine: DomEngine;
  formatter: PageFormatter;
  /** Pages loaded or extracting at once: a few per thread keeps every thread busy. */
  concurrency: number;
  label: string;
  out?: NodeJS.WritableStream;
  /** Whether to draw a progress bar on stderr (only ever when it is a terminal). */
  progress?: boolean;
}

export interface BatchSummary {
  /** Pages that came out as a line: records + errors. */
  pages: number;
  records: number;
  errors: number;
  errorsByCode: Record<string, number>;
  /** What the source passed over without a line (not counted in `pages`). */
  skipped: number;
  skippedByReason: Record<string, number>;
  threads: number;
  seconds: number;
  pagesPerSecond: number;
  /** True when the reader of stdout went away (`| head`) and the batch stopped early. */
  stoppedEarly: boolean;
}

/**
 * Runs every page of `source` through the extraction pool, `concurrency` at a time, and writes one
 * NDJSON line per page to stdout as it finishes: the record, or the page's error with its code. A
 * page that fails is a line, never the end of the batch.
 */
export async function runBatch(source: BatchSource, options: BatchOptions): Promise<BatchSummary> {
  const started = performance.now();
  const out = options.out ?? process.stdout;
  const writer = new LineWriter(out);
  const bar = options.progress && process.stderr.isTTY ? startBar(options.label, source) : null;
  const errorsByCode = new Map<string, number>();
  let records = 0;
  let errors = 0;

  async function runPage(page: BatchPage): Promise<void> {
    let line: string;
    try {
      const input = await page.load();
      const record = await options.pool.extract(input, { engine: options.engine });
      line = options.formatter.line(page.source, record);
      records++;
    } catch (error) {
      const code = isCopydeskError(error) ? error.code : "EXTRACT_FAILED";
      errorsByCode.set(code, (errorsByCode.get(code) ?? 0) + 1);
      errors++;
      line = errorLine(page.source, error, page.url);
    }
    await writer.write(line);
    bar?.update(records + errors, errors);
  }

  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  try {
    for await (const page of source.pages) {
      if (writer.closed) break;
      const running: Promise<void> = runPage(page).finally(() => inFlight.delete(running));
      inFlight.add(running);
      if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    }
  } catch (error) {
    // The source itself broke (a truncated archive, an unreadable list): the pages already under
    // way still get their lines, then the error ends the command.
    failure = error;
  }
  await Promise.all(inFlight);
  await writer.end();
  bar?.stop();
  if (failure !== undefined) throw failure;

  const seconds = (performance.now() - started) / 1000;
  const skippedByReason = Object.fromEntries(source.skipped ?? []);
  return {
    pages: records + errors,
    records,
    errors,
    errorsByCode: Object.fromEntries([...errorsByCode].sort(([a], [b]) => a.localeCompare(b))),
    skipped: Object.values(skippedByReason).reduce((sum, count) => sum + count, 0),
    skippedByReason,
    threads: options.pool.threads,
    seconds: Math.round(seconds * 1000) / 1000,
    pagesPerSecond: seconds > 0 ? Math.round(((records + errors) / seconds) * 10) / 10 : 0,
    stoppedEarly: writer.closed,
  };
}

/** The summary as one line for a person: counts, rate, error codes, what was skipped. */
export function describeSummary(label: string, summary: BatchSummary): string {
  const counted = (entries: Record<string, number>) =>
    Object.entries(entries)
      .map(([key, count]) => `${key} ${count}`)
      .join(", ");
  const parts = [
    `${summary.pages} ${summary.pages === 1 ? "page" : "pages"} in ${summary.seconds.toFixed(1)} s`,
    `(${summary.pagesPerSecond} pages/s on ${summary.threads} ${summary.threads === 1 ? "thread" : "threads"}):`,
    `${summary.records} ${summary.records === 1 ? "record" : "records"},`,
    `${summary.errors} ${summary.errors === 1 ? "error" : "errors"}${summary.errors > 0 ? ` (${counted(summary.errorsByCode)})` : ""}`,
  ];
  if (summary.skipped > 0) parts.push(`; ${summary.skipped} skipped (${counted(summary.skippedByReason)})`);
  if (summary.stoppedEarly) parts.push("; stopped early: standard output was closed");
  return `copydesk ${label}: ${parts.join(" ").replace(" ;", ";")}\n`;
}

/** A batch whose source yields no page at all is most likely a wrong path or option. */
export function noPagesError(what: string): CopydeskError {
  return new CopydeskError("INPUT_INVALID", `no pages to extract: ${what}`);
}

function startBar(
  label: string,
  source: BatchSource,
): { update(done: number, errors: number): void; stop(): void } {
  const progress = source.progress;
  const bytes = progress.unit === "bytes";
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: bytes
        ? `${label} [{bar}] {percentage}% of the archive | {pages} pages | {errors} errors`
        : `${label} [{bar}] {value}/{total} pages | {errors} errors | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(Math.max(progress.total, 1), 0, { pages: 0, errors: 0 });
  return {
    update: (done, errors) =>
      bar.update(bytes ? Math.min(progress.read(), progress.total) : done, { pages: done, errors }),
    stop: () => bar.stop(),
  };
}
