import { loadConfig } from "../config.js";
import { CopydeskError, isCopydeskError } from "../domain/errors.js";
import { parseInputFor } from "../domain/page.js";
import { pageFromSnapshot } from "../fetchers/snapshot.js";
import { parsePage } from "../parsers/parse-page.js";
import type { UpsertOutcome } from "../store/article-store.js";
import { normalizeInstant } from "../store/cursor.js";
import { openStore } from "../store/index.js";
import { stderrProgress } from "./export.js";

interface ReextractOptions {
  site?: string;
  since?: string;
  json?: boolean;
}

export interface ReextractSummary {
  pages: number;
  outcomes: Record<UpsertOutcome, number>;
  /** Snapshots that were not 2xx pages (nothing to extract). */
  skipped: number;
  /** Pages the extractor or the store refused, with why. */
  failed: { url: string; code: string; message: string }[];
}

/**
 * `copydesk reextract`: rebuilds article records from stored snapshots, without refetching, after
 * an extractor improvement. Changed records become new revisions; the rest stay "unchanged".
 */
export const reextractCommand = async (options: ReextractOptions) => {
  if (options.since !== undefined) normalizeInstant(options.since, "--since");
  if (options.site !== undefined && !/^[a-z0-9.-]+$/i.test(options.site)) {
    throw new CopydeskError(
      "INPUT_INVALID",
      `--site must be a host name, got ${JSON.stringify(options.site)}`,
    );
  }
  const store = await openStore(loadConfig());
  const summary: ReextractSummary = {
    pages: 0,
    outcomes: { created: 0, revised: 0, unchanged: 0 },
    skipped: 0,
    failed: [],
  };
  try {
    const progress = stderrProgress("reextract", (await store.stats()).snapshots);
    for await (const snapshot of store.iterateSnapshots({
      ...(options.site !== undefined ? { site: options.site } : {}),
      ...(options.since !== undefined ? { since: options.since } : {}),
    })) {
      summary.pages++;
      progress.tick(summary.pages);
      if (snapshot.status < 200 || snapshot.status > 299) {
        summary.skipped++;
        continue;
      }
      try {
        const record = parsePage(parseInputFor(pageFromSnapshot(snapshot)));
        const result = await store.upsertArticle(record);
        summary.outcomes[result.outcome]++;
      } catch (error) {
        // One bad page must not stop the run; a store that is down must.
        if (!isCopydeskError(error) || error.action !== "skip") throw error;
        summary.failed.push({ url: snapshot.url, code: error.code, message: error.message });
      }
    }
    progress.stop();
  } finally {
    await store.close();
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const { created, revised, unchanged } = summary.outcomes;
  process.stdout.write(
    `reextracted ${summary.pages} pages: ${revised} revised, ${unchanged} unchanged, ${created} created, ` +
      `${summary.skipped} skipped, ${summary.failed.length} failed\n`,
  );
  for (const failure of summary.failed) {
    process.stdout.write(`  ${failure.url}: ${failure.code}: ${failure.message}\n`);
  }
};
