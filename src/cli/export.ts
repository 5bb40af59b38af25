import { Presets, SingleBar } from "cli-progress";
import { LineWriter } from "../batch/line-writer.js";
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
  // Lines gathered into 256 KiB writes: an export is many small lines, and a write per line is slow.
  const writer = new LineWriter(process.stdout, 256 * 1024);
  try {
    const progress = stderrProgress("export", (await store.stats()).articles);
    let count = 0;
    for await (const line of store.exportArticles({
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.site !== undefined ? { site: options.site } : {}),
    })) {
      await writer.write(`${JSON.stringify(line)}\n`);
      if (writer.closed) break;
      if (++count % 500 === 0) progress.tick(count);
    }
    await writer.flush();
    progress.stop();
    if (process.stderr.isTTY) process.stderr.write(`exported ${count} articles\n`);
  } finally {
    await store.close();
  }
};
