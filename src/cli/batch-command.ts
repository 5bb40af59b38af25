import { createPageFormatter, type OutputFormat } from "../batch/formats.js";
import { type BatchSource, describeSummary, runBatch } from "../batch/run-batch.js";
import { loadExtractTimeoutMs } from "../extract-config.js";
import type { DomEngine } from "../parsers/engine/dom.js";
import { createExtractPool } from "../queue/extract-pool.js";
import { threadsOption } from "./options.js";

export interface BatchCommandOptions {
  engine: DomEngine;
  format: OutputFormat;
  threads?: string;
  /** Summary on stderr as JSON. */
  json?: boolean;
  /** Commander's --no-progress: false when given. */
  progress?: boolean;
}

/**
 * A batch on the command line: the pages of `open()` through an extraction pool of `--threads`
 * threads (under the workers' time and heap limits), NDJSON on stdout, the summary on stderr.
 * Page failures are lines and counted in the summary; the command still exits 0.
 */
export async function runBatchCommand(
  label: string,
  options: BatchCommandOptions,
  open: () => Promise<BatchSource>,
  concurrencyPerThread = 2,
): Promise<void> {
  const threads = threadsOption(options.threads);
  const formatter = await createPageFormatter(options.format);
  const source = await open();
  const pool = createExtractPool({
    threads,
    timeoutMs: loadExtractTimeoutMs(),
    onThreadError: (error) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`copydesk: an extraction thread failed and was replaced: ${message}\n`);
    },
  });
  try {
    const summary = await runBatch(source, {
      pool,
      engine: options.engine,
      formatter,
      concurrency: threads * concurrencyPerThread,
      label,
      progress: options.progress !== false,
    });
    process.stderr.write(options.json ? `${JSON.stringify(summary)}\n` : describeSummary(label, summary));
  } finally {
    await pool.close();
  }
}
