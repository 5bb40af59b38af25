import { readFileSync } from "node:fs";
import { loadConfig } from "../config.js";
import { CopydeskError } from "../domain/errors.js";
import { parseHttpUrl } from "../domain/url.js";
import { decodeHtmlBytes } from "../fetchers/charset.js";
import type { DomEngine } from "../parsers/engine/dom.js";
import { createExtractPool } from "../queue/extract-pool.js";

interface ExtractOptions {
  url: string;
  fetchedAt?: string;
  contentType?: string;
  engine: DomEngine;
  compact?: boolean;
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

export const extractCommand = async (file: string, options: ExtractOptions) => {
  parseHttpUrl(options.url);
  if (options.engine !== "linkedom" && options.engine !== "jsdom") {
    throw new CopydeskError("INPUT_INVALID", `--engine must be linkedom or jsdom, got ${options.engine}`);
  }
  const bytes = readInput(file);
  if (bytes.length === 0)
    throw new CopydeskError("INPUT_UNREADABLE", `${file === "-" ? "standard input" : file} is empty`);
  const { html } = decodeHtmlBytes(bytes, options.contentType ?? null);
  // Under the workers' limits (time, heap), in a thread of its own: a hostile page ends as
  // EXTRACT_TIMEOUT or EXTRACT_TOO_LARGE (exit 2), not as a hung or crashed command.
  const pool = createExtractPool({
    threads: 1,
    timeoutMs: loadConfig().extractTimeoutMs,
    keepThreadsStarted: false,
  });
  let record: Awaited<ReturnType<typeof pool.extract>>;
  try {
    record = await pool.extract(
      { html, url: options.url, fetchedAt: options.fetchedAt ?? new Date().toISOString() },
      { engine: options.engine },
    );
  } finally {
    await pool.close();
  }
  process.stdout.write(`${JSON.stringify(record, null, options.compact ? undefined : 2)}\n`);
};
