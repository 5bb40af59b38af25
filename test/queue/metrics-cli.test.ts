import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { redisConnectionOptions } from "../../src/queue/connection.js";
import { enqueueArticle } from "../../src/queue/enqueue.js";
import { openQueues } from "../../src/queue/queues.js";
import { startHttpServer, type TestServer } from "../support/http-fixture-server.js";
import { startTestRedis, type TestRedis } from "../support/redis.js";
import { eventually } from "./support/harness.js";

/**
 * The pipeline's counters live in the memory of the process whose workers move them: a separate
 * `copydesk worker` serves its own /metrics (COPYDESK_METRICS_PORT), `copydesk start` serves its
 * workers' at the API's /metrics. Both as an operator runs them, with a real extraction thread.
 */
let redis: TestRedis;
let site: TestServer;
const cleanups: (() => Promise<void> | void)[] = [];

const paragraph =
  "The council voted on Tuesday to keep the harbour ferry running through the winter, after a " +
  "petition signed by more than four thousand residents asked it to reverse last year's cuts.";
const storyHtml = (title: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><article><h1>${title}</h1>${Array.from(
    { length: 8 },
    (_, i) => `<p>${paragraph} Part ${i + 1}.</p>`,
  ).join("")}</article></body></html>`;

beforeAll(async () => {
  redis = await startTestRedis();
  site = await startHttpServer((request, response) => {
    const title = /^\/story\/([a-z-]+)$/.exec(request.url ?? "")?.[1];
    if (!title) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(storyHtml(title));
  });
}, 30_000);

afterAll(async () => {
  await site?.close();
  await redis?.destroy();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Running {
  child: ChildProcessWithoutNullStreams;
  /** The first log line (pino JSON on stdout) that has `field`, waited for. */
  logged(field: string, timeoutMs: number): Promise<Record<string, unknown>>;
  output(): string;
}

function runCli(args: string[], env: Record<string, string>): Running {
  const dataDir = mkdtempSync(path.join(tmpdir(), "copydesk-metrics-"));
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      COPYDESK_DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      COPYDESK_ALLOW_HOSTS: "127.0.0.1",
      COPYDESK_HOST_DELAY_MS: "0",
      COPYDESK_EXTRACT_THREADS: "1",
      COPYDESK_SHUTDOWN_GRACE_MS: "5000",
      LOG_LEVEL: "info",
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
  const output = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  return {
    child,
    output,
    logged: (field, timeoutMs) =>
      eventually(
        async () => {
          if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}\n${output()}`);
          for (const line of stdout.split("\n")) {
            if (!line.startsWith("{")) continue;
            const entry = JSON.parse(line) as Record<string, unknown>;
            if (field in entry) return entry;
          }
          throw new Error(`no log line with "${field}" yet\n${output()}`);
        },
        timeoutMs,
        100,
      ),
  };
}

async function enqueueStory(slug: string): Promise<void> {
  const queues = openQueues({ connection: redisConnectionOptions(redis.url) });
  try {
    await enqueueArticle(
      queues.articles,
      { url: site.url(`/story/${slug}`), trigger: "manual" },
      { dedupeWindowMs: 0, attempts: 1 },
    );
  } finally {
    await queues.close();
  }
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample line (`name{labels} value`), or undefined while it has none. */
function sample(metrics: string, series: string): number | undefined {
  for (const line of metrics.split("\n")) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

async function expectPipelineCountersToMove(metricsUrl: string, slug: string): Promise<void> {
  const before = await scrape(metricsUrl);
  expect(sample(before, 'copydesk_fetch_outcomes_total{code="ok"}')).toBeUndefined();
  expect(sample(before, "copydesk_extraction_duration_seconds_count")).toBe(0);

  await enqueueStory(slug);
  const after = await eventually(
    async () => {
      const text = await scrape(metricsUrl);
      expect(sample(text, 'copydesk_articles_upserted_total{outcome="created"}')).toBe(1);
      return text;
    },
    60_000,
    200,
  );
  expect(sample(after, 'copydesk_fetch_outcomes_total{code="ok"}')).toBe(1);
  expect(sample(after, "copydesk_extraction_duration_seconds_count")).toBe(1);
  expect(sample(after, "copydesk_extraction_duration_seconds_sum")).toBeGreaterThan(0);
}

async function stopWithSigterm(running: Running): Promise<void> {
  const exited = new Promise<number | null>((resolve) => running.child.once("exit", resolve));
  running.child.kill("SIGTERM");
  expect(await exited, running.output()).toBe(0);
}

describe("metrics of a separate worker process", () => {
  it("serves /metrics on COPYDESK_METRICS_PORT, where its fetch and extraction counters move", async () => {
    const worker = runCli(["worker", "--concurrency", "1"], { COPYDESK_METRICS_PORT: "0" });
    const { metrics } = await worker.logged("metrics", 60_000);
    expect(metrics).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const url = String(metrics);
    expect(await scrape(url)).toMatch(/^process_resident_memory_bytes \d+$/m);

    await expectPipelineCountersToMove(url, "ferry-stays");

    await stopWithSigterm(worker);
    await expect(fetch(url)).rejects.toThrow();
  }, 120_000);

  it("exits 3 with one line when its metrics port is taken, before taking any job", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const address = taken.address();
    const port = typeof address === "object" && address ? address.port : 0;

    const worker = runCli(["worker"], { COPYDESK_METRICS_PORT: String(port) });
    const code = await new Promise<number | null>((resolve) => worker.child.once("exit", resolve));
    expect(code, worker.output()).toBe(3);
    expect(worker.output()).toContain(
      `copydesk: CONFIG_INVALID: cannot serve metrics on 127.0.0.1:${port}: in use`,
    );
    expect(worker.output()).not.toContain("workers started");
  }, 60_000);

  it("serves none when COPYDESK_METRICS_PORT is unset", async () => {
    const worker = runCli(["worker"], {});
    await worker.logged("extractThreads", 60_000);
    expect(worker.output()).not.toContain('"metrics"');
    await stopWithSigterm(worker);
  }, 60_000);
});

describe("metrics of copydesk start", () => {
  it("shows its workers' fetch and extraction counters at the API's /metrics", async () => {
    const start = runCli(["start", "--concurrency", "1"], { HOST: "127.0.0.1", PORT: "0" });
    const { address } = await start.logged("address", 60_000);
    const url = `${String(address)}/metrics`;
    const metrics = await scrape(url);
    expect(metrics).toMatch(/^copydesk_stories_stored 0$/m);

    await expectPipelineCountersToMove(url, "harbour-reopens");

    await stopWithSigterm(start);
  }, 120_000);
});
