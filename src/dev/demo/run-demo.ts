import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { type Logger, pino } from "pino";
import type { Config } from "../../config.js";
import type { Source } from "../../domain/source.js";
import { createPipelineLogger } from "../../queue/logger.js";
import { openPipeline, ownRedis } from "../../queue/runtime.js";
import { syncSourceSchedulers } from "../../queue/scheduler.js";
import { openStore } from "../../store/index.js";
import { startNewsroom } from "./newsroom.js";

/**
 * `npm run demo`: the pipeline against a local newsroom for a bounded time. Sources are scheduled
 * in queues of their own (prefix "copydesk-demo"), which are emptied before and after, and articles
 * go to a SQLite file of their own, so the demo never mixes with real data.
 */
export interface DemoOptions {
  seconds: number;
  /** Called about twice a second with what happened so far (the CLI draws a progress line). */
  onProgress?: (progress: DemoProgress) => void;
}

export interface DemoProgress {
  elapsedMs: number;
  totalMs: number;
  articles: number;
  stories: number;
  revisions: number;
  completedJobs: number;
  failedJobs: number;
}

export interface DemoArticleRow {
  title: string | null;
  site: string;
  url: string;
  revision: number;
  paywalled: boolean;
  storyId: string;
}

export interface DemoStoryRow {
  storyId: string;
  title: string | null;
  sources: { url: string; role: string; stored: boolean }[];
}

export interface DemoSummary {
  seconds: number;
  redis: string;
  privateRedis: boolean;
  sqlitePath: string;
  logFile: string;
  newsroom: { ledger: string; digest: string };
  requestsServed: number;
  jobs: { completed: number; failed: number };
  failures: string[];
  articles: DemoArticleRow[];
  stories: DemoStoryRow[];
}

export const DEMO_PREFIX = "copydesk-demo";

export async function runDemo(base: Config, options: DemoOptions): Promise<DemoSummary> {
  mkdirSync(base.dataDir, { recursive: true });
  const logFile = path.join(base.dataDir, "demo.log");
  const logger: Logger = pino(
    { level: base.logLevel === "silent" ? "silent" : "info", base: { process: "demo" } },
    pino.destination({ dest: logFile, sync: true }),
  );
  const newsroom = await startNewsroom({ changesEveryMs: Math.max(4000, (options.seconds * 1000) / 4) });
  const config: Config = {
    ...base,
    allowHosts: [...new Set([...base.allowHosts, ...newsroom.hosts])],
    hostDelayMs: 200,
    hostConcurrency: 2,
    // Each poll re-queues what the feeds list, so the live story is seen again.
    dedupeWindowMs: 2000,
    jobAttempts: 3,
    shutdownGraceMs: 5000,
    sqlitePath: path.join(base.dataDir, "demo.sqlite"),
  };
  const redis = await ownRedis(config, logger, { install: true });
  // The newsroom listens on new ports each run, so an old demo store would mix two runs' URLs:
  // the demo's own file (never the product's store) starts empty every time.
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${config.sqlitePath}${suffix}`, { force: true });
  const store = await openStore({ sqlitePath: config.sqlitePath, databaseUrl: undefined });
  const pipeline = openPipeline(config, redis.url, createWorkerLogger(logger), { prefix: DEMO_PREFIX });
  try {
    await Promise.all(pipeline.queues.all().map((queue) => queue.obliterate({ force: true })));
    pipeline.startWorkers(store, { concurrency: 4, extractThreads: 2 });
    const every = Math.max(3000, Math.round((options.seconds * 1000) / 5));
    const sources: Source[] = [
      { id: "digest-latest", kind: "listing", url: newsroom.listingUrl, everyMs: every, maxItems: 50 },
      { id: "ledger-rss", kind: "feed", url: newsroom.feedUrl, everyMs: every, maxItems: 50 },
      { id: "ledger-json", kind: "feed", url: newsroom.jsonFeedUrl, everyMs: every + 1000, maxItems: 50 },
    ];
    await syncSourceSchedulers(pipeline.queues.sources, sources);

    const started = Date.now();
    const totalMs = options.seconds * 1000;
    while (Date.now() - started < totalMs) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (options.onProgress) {
        const [stats, counts] = await Promise.all([store.stats(), pipeline.jobs.counts()]);
        options.onProgress({
          elapsedMs: Math.min(totalMs, Date.now() - started),
          totalMs,
          articles: stats.articles,
          stories: stats.stories,
          revisions: stats.revisions,
          completedJobs: counts.articles.completed + counts.sources.completed,
          failedJobs: counts.articles.failed + counts.sources.failed,
        });
      }
    }
    await syncSourceSchedulers(pipeline.queues.sources, []);
    const counts = await pipeline.jobs.counts();
    const failed = await pipeline.queues.articles.getFailed(0, 20);
    const failures = failed.map((job) => `${String(job.data.url)}: ${job.failedReason}`);
    await pipeline.close();
    const summary = await summarise(store);
    return {
      seconds: options.seconds,
      redis: redis.url,
      privateRedis: !base.redisUrl,
      sqlitePath: config.sqlitePath,
      logFile,
      newsroom: { ledger: newsroom.ledgerOrigin, digest: newsroom.digestOrigin },
      requestsServed: newsroom.requests(),
      jobs: {
        completed: counts.articles.completed + counts.sources.completed,
        failed: counts.articles.failed + counts.sources.failed,
      },
      failures,
      ...summary,
    };
  } finally {
    await pipeline.close().catch(() => undefined);
    // Leave nothing behind in a Redis the user may keep using.
    await cleanQueues(config, redis.url).catch(() => undefined);
    await store.close();
    await newsroom.close();
    await redis.stop();
  }
}

function createWorkerLogger(logger: Logger): Logger {
  return logger.child({ role: "worker" });
}

async function cleanQueues(config: Config, redisUrl: string): Promise<void> {
  const pipeline = openPipeline(config, redisUrl, createPipelineLogger({ logLevel: "silent" }, "demo"), {
    prefix: DEMO_PREFIX,
  });
  try {
    await Promise.all(pipeline.queues.all().map((queue) => queue.obliterate({ force: true })));
  } finally {
    await pipeline.close();
  }
}

async function summarise(
  store: Awaited<ReturnType<typeof openStore>>,
): Promise<{ articles: DemoArticleRow[]; stories: DemoStoryRow[] }> {
  const page = await store.listArticles({ limit: 200 });
  const articles: DemoArticleRow[] = page.items.map((item) => ({
    title: item.record.title,
    site: new URL(item.record.url).host,
    url: item.record.url,
    revision: item.revision,
    paywalled: item.record.paywall.truncated || item.record.paywall.accessibleForFree === false,
    storyId: item.storyId,
  }));
  const stories: DemoStoryRow[] = [];
  for (const storyId of new Set(articles.map((a) => a.storyId))) {
    const story = await store.getStory(storyId);
    if (!story) continue;
    stories.push({
      storyId: story.storyId,
      title: story.title,
      sources: story.sources.map((s) => ({ url: s.url, role: s.role, stored: s.articleId !== null })),
    });
  }
  return { articles, stories };
}
