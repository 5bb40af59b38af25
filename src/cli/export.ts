import { once } from "node:events";
import { Presets, SingleBar } from "cli-progress";
import { loadConfig } from "../config.js";
import { CopydeskError } from "../domain/errors.js";
import { instantToUs } from "../store/cursor.js";
import { openStore } from "../store/index.js";

interface ExportOptions {
  since?: string;
  site?: string;
}

/** A progress bar on stderr when it is a terminal; nothing otherwise, so redirected output stays clean. */
export function stderrProgress(label: string, total: number): { tick(count: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { tick() {}, stop() {} };
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    tick: (count) => bar.update(Math.min(count, total)),
    stop: () => bar.stop(),
  };
}

/** Flushes NDJSON lines in chunks and waits for the pipe to drain, so memory stays flat at any size. */
class NdjsonWriter {
  private chunk: string[] = [];
  private size = 0;
  private closed = false;

  constructor(private readonly out: NodeJS.WritableStream) {
    // `copydesk export | head` closes the pipe early: stop writing, quietly.
    out.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") this.closed = true;
      else throw error;
    });
  }

  get stopped(): boolean {
    return this.closed;
  }

  async write(value: unknown): Promise<void> {
    const line = `${JSON.stringify(value)}\n`;
    this.chunk.push(line);
    this.size += line.length;
    if (this.size >= 256 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.chunk.length === 0 || this.closed) return;
    const text = this.chunk.join("");
    this.chunk = [];
    this.size = 0;
    if (!this.out.write(text)) await Promise.race([once(this.out, "drain"), once(this.out, "close")]);
  }
}

/**
 * `copydesk export`: every current article as NDJSON on stdout, streamed from the store, one
 * `{articleId, storyId, revision, updatedAt, record}` per line (docs/export-line.schema.json).
 */
export const exportCommand = async (options: ExportOptions) => {
  if (options.since !== undefined) instantToUs(options.since, "--since");
  if (options.site !== undefined && !/^[a-z0-9.-]+$/i.test(options.site)) {
    throw new CopydeskError(
      "INPUT_INVALID",
      `--site must be a host name, got ${JSON.stringify(options.site)}`,
    );
  }
  const store = await openStore(loadConfig());
  const writer = new NdjsonWriter(process.stdout);
  try {
    const progress = stderrProgress("export", (await store.stats()).articles);
    let count = 0;
    for await (const line of store.exportArticles({
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.site !== undefined ? { site: options.site } : {}),
    })) {
      await writer.write(line);
      if (writer.stopped) break;
      if (++count % 500 === 0) progress.tick(count);
    }
    await writer.flush();
    progress.stop();
    if (process.stderr.isTTY) process.stderr.write(`exported ${count} articles\n`);
  } finally {
    await store.close();
  }
};
