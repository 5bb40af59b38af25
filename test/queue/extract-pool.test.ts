import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  createExtractPool,
  defaultExtractWorkerUrl,
  type ExtractPool,
  execArgvFor,
} from "../../src/queue/extract-pool.js";

const pool = createExtractPool({ threads: 2 });

afterAll(async () => {
  await pool.close();
});

describe("extraction pool", () => {
  it("runs parsePage from the .ts worker in worker threads (tsx loader in each thread)", async () => {
    expect(defaultExtractWorkerUrl().pathname).toMatch(/extract-worker\.ts$/);
    expect(execArgvFor(defaultExtractWorkerUrl())[0]).toBe("--import");
    const html = readFileSync("fixtures/sites/newsbite.com.au/wsj-kursk-aggregator/source.html", "utf8");
    const url =
      "https://www.newsbite.com.au/www.theaustralian.com.au/business/the-wall-street-journal/russia-pushes-ukrainian-forces-back-in-kursk-after-us-halts-support/news-story/4ec9bc94b11b5156788c282fbc3901de";
    const records = await Promise.all(
      [1, 2, 3].map(() => pool.extract({ html, url, fetchedAt: "2025-03-11T06:00:00.000Z" })),
    );
    for (const record of records) {
      expect(record.title).toMatch(/Kursk/);
      expect(record.url).toBe(url);
    }
  });

  it("turns an extraction error in the thread back into a CopydeskError", async () => {
    await expect(
      pool.extract({
        html: 42 as unknown as string,
        url: "https://a.example/",
        fetchedAt: "2025-01-01T00:00:00.000Z",
      }),
    ).rejects.toMatchObject({ code: "INPUT_INVALID" });
  });
});

describe("extraction limits", () => {
  const hostile = new URL("./support/hostile-extract.ts", import.meta.url);
  const page = (html: string) => ({
    html,
    url: "https://a.example/story",
    fetchedAt: "2025-01-01T00:00:00.000Z",
  });
  const normal = () => page("<title>Fine</title><p>A page that parses.</p>");
  // Generous against a load of 8: the limit counts from the thread's start, never the queue.
  const timeoutMs = 2000;
  const pools: ExtractPool[] = [];
  // Growing a heap to its limit is collector-bound: past 2 s at a load of 10. Tests about the heap
  // get a time limit they cannot reach, well inside their own.
  const heapTestTimeoutMs = 20_000;
  const poolOf = (threads: number, limitMs = timeoutMs) => {
    const limited = createExtractPool({ threads, workerUrl: hostile, timeoutMs: limitMs, maxHeapMb: 64 });
    pools.push(limited);
    return limited;
  };

  afterAll(async () => {
    await Promise.all(pools.map((limited) => limited.close()));
  });

  it("ends a page past the time limit with EXTRACT_TIMEOUT while the other thread serves pages", async () => {
    const limited = poolOf(2);
    await Promise.all([limited.extract(normal()), limited.extract(normal())]);
    let spinSettled = false;
    const started = performance.now();
    const spinning = limited.extract(page("spin")).finally(() => {
      spinSettled = true;
    });
    const others = await Promise.all([1, 2, 3].map(() => limited.extract(normal())));
    expect(others.map((record) => record.title)).toEqual(["Fine", "Fine", "Fine"]);
    expect(spinSettled).toBe(false);
    await expect(spinning).rejects.toMatchObject({ code: "EXTRACT_TIMEOUT", action: "skip" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(timeoutMs);
    // The ended thread was replaced: both threads take pages again.
    const after = await Promise.all([limited.extract(normal()), limited.extract(normal())]);
    expect(after.map((record) => record.title)).toEqual(["Fine", "Fine"]);
  });

  it("ends a page past the heap limit with EXTRACT_TOO_LARGE and serves the next page", {
    timeout: 60_000,
  }, async () => {
    const limited = poolOf(1, heapTestTimeoutMs);
    await expect(limited.extract(page("allocate"))).rejects.toMatchObject({
      code: "EXTRACT_TOO_LARGE",
      action: "skip",
    });
    expect((await limited.extract(normal())).title).toBe("Fine");
  });

  it("starts no page while a thread ended at the time limit has not yet exited", {
    timeout: 60_000,
  }, async () => {
    const limited = poolOf(1);
    await limited.extract(normal());
    // The blocked thread is ended at the limit but exits only when its system call returns, inside
    // the grace the pool gives an ended thread (the time limit again) to report its exit.
    const blockMs = timeoutMs + 1500;
    const started = performance.now();
    const blocked = limited.extract(page(`block:${blockMs}`));
    await expect(blocked).rejects.toMatchObject({ code: "EXTRACT_TIMEOUT" });
    // The replacement thread is up long before the ended one exits; the page waits for the exit.
    const next = await limited.extract(normal());
    expect(next.title).toBe("Fine");
    expect(performance.now() - started).toBeGreaterThanOrEqual(blockMs);
  });

  it("ends a thread whose heap a page left grown, after its answer, and serves the next page from a new one", {
    timeout: 60_000,
  }, async () => {
    const limited = poolOf(1, heapTestTimeoutMs);
    const threadOf = async () => (await limited.extract(page("thread"))).title;
    const first = await threadOf();
    expect(await threadOf()).toBe(first);
    // Answered as usual: only the thread goes.
    expect((await limited.extract(page("bloat"))).url).toBe("https://a.example/story");
    const after = await threadOf();
    expect(after).toMatch(/^thread \d+$/);
    expect(after).not.toBe(first);
    expect(await threadOf()).toBe(after);
  });

  it("does not charge a page for the time it waited for a thread", async () => {
    const limited = poolOf(1);
    const spinning = limited.extract(page("spin"));
    // Queued behind the spinning page, then behind the replacement thread's start-up.
    const queued = limited.extract(normal());
    await expect(spinning).rejects.toMatchObject({ code: "EXTRACT_TIMEOUT" });
    expect((await queued).title).toBe("Fine");
  });
});

describe("a pool whose threads cannot start", () => {
  // A worker module that throws as it loads: every thread piscina starts in its place fails too.
  const unloadable = new URL("./support/unloadable-extract.ts", import.meta.url);
  const page = { html: "<p>x</p>", url: "https://a.example/", fetchedAt: "2025-01-01T00:00:00.000Z" };

  for (const keepThreadsStarted of [true, false]) {
    it(`rejects waiting and later pages with EXTRACT_POOL_FAILED instead of holding them (threads ${keepThreadsStarted ? "kept started" : "on demand"})`, async () => {
      const broken = createExtractPool({
        threads: 2,
        workerUrl: unloadable,
        keepThreadsStarted,
      });
      try {
        const first = await Promise.allSettled([broken.extract(page), broken.extract(page)]);
        const codes = first.map((settled) =>
          settled.status === "rejected" ? (settled.reason as { code?: string }).code : "fulfilled",
        );
        // The first page may meet the load error itself; none is left waiting, none succeeds.
        expect(codes.filter((code) => code === "EXTRACT_POOL_FAILED").length).toBeGreaterThanOrEqual(1);
        expect(codes).not.toContain("fulfilled");
        await expect(broken.extract(page)).rejects.toMatchObject({
          code: "EXTRACT_POOL_FAILED",
          action: "stop",
          message: expect.stringMatching(/cannot load this module/),
        });
      } finally {
        await broken.close();
      }
    }, 60_000);
  }
});
