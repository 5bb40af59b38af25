import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/api/server.js";
import { loadConfig } from "../../src/config.js";
import { openJobsClient } from "../../src/queue/jobs-client.js";
import { openPipeline, type PipelineProcess } from "../../src/queue/runtime.js";
import { SqliteArticleStore } from "../../src/store/sqlite/sqlite-store.js";
import { startHttpServer, type TestServer } from "../support/http-fixture-server.js";
import { startTestRedis, type TestRedis } from "../support/redis.js";
import { WRITE_TOKEN } from "./support.js";

/**
 * The API over the real pipeline: a throwaway redis-server, the BullMQ queues and workers, the real
 * fetcher and extractor, SQLite, and a local news site. What `copydesk start` wires together.
 */
const ARTICLE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Harbour bridge reopens after repairs | Example Local</title>
<meta property="og:site_name" content="Example Local">
<meta name="description" content="The bridge carried traffic again on Monday morning.">
<meta property="article:published_time" content="2024-05-01T08:00:00Z">
</head><body><article><h1>Harbour bridge reopens after repairs</h1>
<p class="byline">By Ada Reporter</p>
${Array.from({ length: 8 }, (_, i) => `<p>Paragraph ${i} about the harbour bridge, the repairs that took a year, the council that paid for them and the commuters who waited for the crossing to open again.</p>`).join("\n")}
</article></body></html>`;

let redis: TestRedis;
let site: TestServer;
let dir: string;
let store: SqliteArticleStore;
let pipeline: PipelineProcess;
let app: FastifyInstance;
const auth = { authorization: `Bearer ${WRITE_TOKEN}` };

beforeAll(async () => {
  redis = await startTestRedis();
  site = await startHttpServer((request, response) => {
    if (request.url === "/news/bridge") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(ARTICLE);
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("not found");
  });
  dir = mkdtempSync(path.join(tmpdir(), "copydesk-api-e2e-"));
  const config = loadConfig({
    COPYDESK_DATA_DIR: dir,
    COPYDESK_ALLOW_HOSTS: "127.0.0.1",
    COPYDESK_HOST_DELAY_MS: "0",
    COPYDESK_JOB_ATTEMPTS: "1",
    COPYDESK_SHUTDOWN_GRACE_MS: "1000",
    COPYDESK_API_TOKENS: WRITE_TOKEN,
    LOG_LEVEL: "silent",
  });
  const logger = pino({ level: "silent" });
  store = await SqliteArticleStore.open(config.sqlitePath);
  pipeline = openPipeline(config, redis.url, logger);
  pipeline.startWorkers(store, { concurrency: 2, extractThreads: 0 });
  app = await buildServer({ store, jobs: pipeline.jobs, queues: pipeline.queues.all(), config });
  await app.ready();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await pipeline?.close();
  await store?.close();
  await site?.close();
  await redis?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function finished(statusUrl: string) {
  for (let i = 0; i < 300; i++) {
    const job = (await app.inject(statusUrl)).json();
    if (job.state === "completed" || job.state === "failed") return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job at ${statusUrl} did not finish`);
}

describe("re-fetch through the real pipeline", () => {
  it("queues, fetches, extracts, stores, and serves the article", async () => {
    const url = site.url("/news/bridge");
    const accepted = await app.inject({
      method: "POST",
      url: "/v1/refetch",
      headers: auth,
      payload: { url },
    });
    expect(accepted.statusCode).toBe(202);
    const job = await finished(accepted.json().statusUrl);
    expect(job).toMatchObject({ state: "completed", failedReason: null, result: { outcome: "created" } });

    const article = (await app.inject(`/v1/articles/${job.result.articleId}`)).json();
    expect(article.record.title).toBe("Harbour bridge reopens after repairs");
    expect(article.record.url).toBe(url);
    const lookup = await app.inject(`/v1/lookup?url=${encodeURIComponent(url)}`);
    expect(lookup.json().article.articleId).toBe(job.result.articleId);

    const feed = (await app.inject("/v1/feed.json")).json();
    expect(feed.items.map((item: { id: string }) => item.id)).toContain(url);
  });

  it("reports a permanent failure with its error code", async () => {
    const accepted = await app.inject({
      method: "POST",
      url: "/v1/refetch",
      headers: auth,
      payload: { url: site.url("/news/missing") },
    });
    const job = await finished(accepted.json().statusUrl);
    expect(job.state).toBe("failed");
    expect(job.failedReason).toMatch(/^FETCH_HTTP_PERMANENT/);
  });

  it("is ready with Redis up, counts jobs in /metrics", async () => {
    const ready = await app.inject("/readyz");
    expect(ready.json()).toEqual({
      status: "ready",
      checks: { store: { status: "ok" }, redis: { status: "ok" } },
    });
    const metrics = (await app.inject("/metrics")).body;
    expect(metrics).toMatch(/^copydesk_jobs\{queue="articles",state="completed"\} 1$/m);
    expect(metrics).toMatch(/^copydesk_jobs\{queue="articles",state="failed"\} 1$/m);
  });

  it("records what the workers did: fetch outcomes, extraction time, upserts", async () => {
    const metrics = (await app.inject("/metrics")).body;
    expect(metrics).toMatch(/^copydesk_fetch_outcomes_total\{code="ok"\} 1$/m);
    expect(metrics).toMatch(/^copydesk_fetch_outcomes_total\{code="FETCH_HTTP_PERMANENT"\} 1$/m);
    expect(metrics).toMatch(/^copydesk_extraction_duration_seconds_count 1$/m);
    const sum = /^copydesk_extraction_duration_seconds_sum (\S+)$/m.exec(metrics)?.[1];
    expect(Number(sum)).toBeGreaterThan(0);
    expect(metrics).toMatch(/^copydesk_articles_upserted_total\{outcome="created"\} 1$/m);
  });

  it("serves the dashboard to write tokens only, asking browsers for credentials", async () => {
    const anonymous = await app.inject("/dashboard");
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toMatch(/^Basic/);
    const basic = `Basic ${Buffer.from(`ops:${WRITE_TOKEN}`).toString("base64")}`;
    const page = await app.inject({ url: "/dashboard", headers: { authorization: basic } });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    const queues = await app.inject({ url: "/dashboard/api/queues", headers: auth });
    expect(queues.statusCode).toBe(200);
    expect(JSON.stringify(queues.json())).toContain('"articles"');
    expect((await app.inject("/dashboard/api/queues")).statusCode).toBe(401);
  });

  it("answers the dashboard with our JSON errors: 403 without write tokens, 401 without a token", async () => {
    // Bull Board installs an error handler of its own: an auth error thrown into it came out as its
    // 500. Auth answers instead of throwing, so the board never sees these requests.
    const config = loadConfig({ COPYDESK_DATA_DIR: dir, LOG_LEVEL: "silent" });
    const tokenless = await buildServer({
      store,
      jobs: pipeline.jobs,
      queues: pipeline.queues.all(),
      config,
    });
    try {
      for (const url of ["/dashboard", "/dashboard/", "/dashboard/api/queues", "/dashboard/queue/articles"]) {
        const refused = await tokenless.inject(url);
        expect(refused.statusCode, url).toBe(403);
        expect(refused.headers["content-type"]).toMatch(/^application\/json/);
        expect(refused.json()).toEqual({
          statusCode: 403,
          code: "API_FORBIDDEN",
          message: expect.stringMatching(/COPYDESK_API_TOKENS/),
          action: "skip",
        });
      }
    } finally {
      await tokenless.close();
    }
    const anonymous = await app.inject("/dashboard/api/queues");
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ statusCode: 401, code: "API_UNAUTHORIZED", action: "skip" });
  });

  it("turns unready when Redis goes away", async () => {
    // A Redis of its own, so the pipeline above keeps its connections.
    const lonely = await startTestRedis();
    const jobs = openJobsClient(lonely.url);
    const config = loadConfig({ COPYDESK_DATA_DIR: dir, LOG_LEVEL: "silent" });
    const alone = await buildServer({ store, jobs, config });
    try {
      expect((await alone.inject("/readyz")).statusCode).toBe(200);
      await lonely.stop();
      const unready = await alone.inject("/readyz");
      expect(unready.statusCode).toBe(503);
      expect(unready.json().checks).toMatchObject({ store: { status: "ok" }, redis: { status: "failed" } });
      // Metrics still answer (the jobs gauge goes stale) rather than failing or hanging the scrape.
      expect((await alone.inject("/metrics")).statusCode).toBe(200);
    } finally {
      await lonely.start();
      await alone.close();
      await jobs.close();
      await lonely.destroy();
    }
  });
});
