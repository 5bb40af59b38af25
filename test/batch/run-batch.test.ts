import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createPageFormatter } from "../../src/batch/formats.js";
import { type BatchPage, describeSummary, runBatch } from "../../src/batch/run-batch.js";
import type { ArticleRecord } from "../../src/domain/article.js";
import { CopydeskError } from "../../src/domain/errors.js";
import type { ParsePageInput } from "../../src/domain/page.js";
import type { ExtractPool } from "../../src/queue/extract-pool.js";

/** A pool that "extracts" a page into a record holding only its URL, and fails pages named so. */
function fakePool(): ExtractPool & { started: number } {
  const pool = {
    threads: 2,
    started: 0,
    async extract(input: ParsePageInput) {
      pool.started++;
      await new Promise((resolve) => setImmediate(resolve));
      if (input.url.includes("slow-and-hostile"))
        throw new CopydeskError("EXTRACT_TIMEOUT", "extraction ran past 5000 ms: its thread was ended");
      return { url: input.url, title: input.url } as unknown as ArticleRecord;
    },
    close: async () => {},
  };
  return pool;
}

function pagesOf(urls: string[]): AsyncIterable<BatchPage> {
  return (async function* () {
    for (const url of urls) {
      yield { source: url, load: async () => ({ html: "<p>x</p>", url, fetchedAt: "2025-01-01T00:00:00Z" }) };
    }
  })();
}

/** stdout of `| head -1`: takes one line, then the reader is gone (EPIPE). */
function headOne(): Writable & { lines: string[] } {
  const lines: string[] = [];
  const out = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      if (lines.length >= 1) {
        callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
        return;
      }
      lines.push(chunk.toString());
      callback();
    },
  });
  return Object.assign(out, { lines });
}

describe("runBatch", () => {
  it("writes a line per page as it finishes, failures with their code, and counts them", async () => {
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    });
    const urls = ["https://a.example/1", "https://a.example/slow-and-hostile", "https://a.example/3"];
    const summary = await runBatch(
      {
        pages: pagesOf(urls),
        progress: { unit: "pages", total: urls.length },
        skipped: new Map([["request record", 3]]),
      },
      {
        pool: fakePool(),
        engine: "tree",
        formatter: await createPageFormatter("json"),
        concurrency: 2,
        label: "extract",
        out,
      },
    );
    const lines = chunks
      .join("")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    expect(lines.find((line) => line.error)).toEqual({
      source: "https://a.example/slow-and-hostile",
      error: {
        code: "EXTRACT_TIMEOUT",
        message: "extraction ran past 5000 ms: its thread was ended",
        action: "skip",
      },
    });
    expect(summary).toMatchObject({
      pages: 3,
      records: 2,
      errors: 1,
      errorsByCode: { EXTRACT_TIMEOUT: 1 },
      skipped: 3,
      stoppedEarly: false,
    });
    expect(describeSummary("extract", summary)).toMatch(
      /^copydesk extract: 3 pages in \d+\.\d s \([\d.]+ pages\/s on 2 threads\): 2 records, 1 error \(EXTRACT_TIMEOUT 1\); 3 skipped \(request record 3\)\n$/,
    );
  });

  it("stops pulling pages, quietly, when the reader of stdout goes away", async () => {
    const out = headOne();
    const pool = fakePool();
    const urls = Array.from({ length: 200 }, (_, index) => `https://a.example/${index}`);
    const summary = await runBatch(
      { pages: pagesOf(urls), progress: { unit: "pages", total: urls.length } },
      {
        pool,
        engine: "tree",
        formatter: await createPageFormatter("text"),
        concurrency: 2,
        label: "extract",
        out,
      },
    );
    expect(out.lines).toHaveLength(1);
    expect(summary.stoppedEarly).toBe(true);
    expect(pool.started).toBeLessThan(10);
  });
});
