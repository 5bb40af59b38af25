import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Worker } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/source.js";
import { redisConnectionOptions } from "../../src/queue/connection.js";
import { enqueueArticle } from "../../src/queue/enqueue.js";
import { openQueues } from "../../src/queue/queues.js";
import { schedulerIdFor, syncSourceSchedulers } from "../../src/queue/scheduler.js";
import { startTestRedis, type TestRedis } from "../support/redis.js";
import { fakeExtract } from "./support/fake-extract.js";
import { eventually, type Harness, startHarness } from "./support/harness.js";
import { articleHtml, type NewsServer, startNewsServer } from "./support/news-server.js";

let site: NewsServer;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  site = await startNewsServer();
});

afterAll(async () => {
  await site?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  site.reset();
});

async function redisFor(options: { persistent?: boolean } = {}): Promise<TestRedis> {
  const redis = await startTestRedis(options);
  cleanups.push(() => redis.destroy());
  return redis;
}

function harnessOn(redis: TestRedis, options: Partial<Parameters<typeof startHarness>[0]> = {}): Harness {
  const harness = startHarness({ redisUrl: redis.url, ...options });
  cleanups.push(() => harness.close());
  return harness;
}

const window = { dedupeWindowMs: 0, attempts: 5 };

describe("scheduler", () => {
  it("leaves one scheduler per source however many processes upsert, and removes dropped sources", async () => {
    const redis = await redisFor();
    const sources: Source[] = [
      { id: "feed-a", kind: "feed", url: `${site.origin}/feed.xml`, everyMs: 60_000, maxItems: 50 },
      { id: "map-b", kind: "sitemap", url: `${site.origin}/sitemap.xml`, cron: "*/5 * * * *", maxItems: 50 },
    ];
    const first = openQueues({ connection: redisConnectionOptions(redis.url) });
    const second = openQueues({ connection: redisConnectionOptions(redis.url) });
    cleanups.push(async () => {
      await first.close();
      await second.close();
    });
    await Promise.all([
      syncSourceSchedulers(first.sources, sources),
      syncSourceSchedulers(second.sources, sources),
    ]);
    await syncSourceSchedulers(first.sources, sources);
    expect(await first.sources.getJobSchedulersCount()).toBe(2);
    const schedulers = await first.sources.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual([schedulerIdFor("feed-a"), schedulerIdFor("map-b")]);
    // One pending poll per scheduler, not one per upsert.
    const pending = await first.sources.getJobCounts("delayed", "waiting", "prioritized");
    expect((pending.delayed ?? 0) + (pending.waiting ?? 0) + (pending.prioritized ?? 0)).toBe(2);

    const report = await syncSourceSchedulers(second.sources, sources.slice(0, 1));
    expect(report.removed).toEqual(["map-b"]);
    expect(await first.sources.getJobSchedulersCount()).toBe(1);
  });

  it("polls a feed source and queues its articles", async () => {
    const redis = await redisFor();
    site.route("/feed.xml", () => ({
      headers: { "content-type": "application/rss+xml" },
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>${site.origin}/</link>
        <item><title>One</title><link>${site.origin}/one</link></item>
        <item><title>Two</title><link>/two</link></item></channel></rss>`,
    }));
    site.route("/one", () => ({ body: articleHtml("One") }));
    site.route("/two", () => ({ body: articleHtml("Two") }));
    const harness = harnessOn(redis);
    await syncSourceSchedulers(harness.queues.sources, [
      { id: "feed", kind: "feed", url: `${site.origin}/feed.xml`, everyMs: 60_000, maxItems: 10 },
    ]);
    await eventually(async () => expect(await harness.store.articleCount()).toBe(2));
  });
});

describe("discovery politeness", () => {
  it("fails a source whose robots.txt disallows its feed, without requesting the feed", async () => {
    const redis = await redisFor();
    site.robots("User-agent: *\nDisallow: /private/\n");
    site.route("/private/feed.xml", () => ({
      headers: { "content-type": "application/rss+xml" },
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>${site.origin}/</link>
        <item><title>One</title><link>${site.origin}/one</link></item></channel></rss>`,
    }));
    const harness = harnessOn(redis);
    await syncSourceSchedulers(harness.queues.sources, [
      { id: "private", kind: "feed", url: `${site.origin}/private/feed.xml`, everyMs: 60_000, maxItems: 10 },
    ]);
    const [failed] = await eventually(async () => {
      const jobs = await harness.queues.sources.getFailed();
      expect(jobs).toHaveLength(1);
      return jobs;
    });
    expect(failed?.failedReason).toMatch(/^FETCH_ROBOTS_DISALLOWED: /);
    // A permanent failure: one attempt of the three a poll gets, not retried.
    expect(failed?.attemptsMade).toBe(1);
    expect(site.robotsRequests()).toBeGreaterThan(0);
    expect(site.hits("/private/feed.xml")).toHaveLength(0);
    expect(await harness.queues.articles.count()).toBe(0);
  });
});

describe("a worker killed mid-job", () => {
  // Its own waits: up to 60 s for a tsx child process to start and fetch (it loads the whole worker;
  // 20 s was too short at a load of 19), 20 s to see the job taken, 30 s for the rescue: 110 s.
  it("has its job completed by another worker, with one stored record", { timeout: 120_000 }, async () => {
    const redis = await redisFor();
    site.route("/kill", (hit) => ({ body: articleHtml("Kill"), delayMs: hit === 1 ? 5000 : 10 }));
    const producer = openQueues({ connection: redisConnectionOptions(redis.url) });
    cleanups.push(() => producer.close());
    const { jobId } = await enqueueArticle(
      producer.articles,
      { url: `${site.origin}/kill`, trigger: "discovered" },
      window,
    );

    const child = spawnWorker(redis.url);
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    await eventually(async () => expect(site.hits().length + inFlight(site)).toBeGreaterThan(0), 60_000);
    await eventually(
      async () => expect((await producer.articles.getJob(jobId))?.processedOn).toBeTruthy(),
      20_000,
    );
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    const rescuer = harnessOn(redis, { lockDurationMs: 2000, stalledIntervalMs: 500 });
    await eventually(
      async () => expect(await rescuer.queues.articles.getJobState(jobId)).toBe("completed"),
      30_000,
    );
    expect(await rescuer.store.articleCount()).toBe(1);
  });
});

describe("Redis restarted mid-run", () => {
  // Its own waits: up to 20 s for the first jobs, the refusals (about 2 s), 5 s for the resume
  // (asserted; waited up to 20 s so a failure says by how much), 20 + 20 s for the rest: 82 s.
  it("loses no job and resumes within 5 s of Redis accepting connections again", {
    timeout: 120_000,
  }, async () => {
    const redis = await redisFor({ persistent: true });
    const total = 40;
    for (let i = 0; i < total; i++) site.route(`/r${i}`, () => ({ body: articleHtml(`R${i}`), delayMs: 30 }));
    const harness = harnessOn(redis, { concurrency: 4, autostart: false });
    for (let i = 0; i < total; i++) {
      await enqueueArticle(
        harness.queues.articles,
        { url: `${site.origin}/r${i}`, trigger: "discovered" },
        window,
      );
    }
    const { articles } = harness.start();
    await completions(articles, 8, 20_000);

    // Down until the workers' reconnect attempts have backed off to about their cap.
    const refused = refusals(articles, 5);
    await redis.stop();
    await refused;
    await redis.start();
    const backAt = performance.now();
    await completions(articles, 1, 20_000);
    expect(performance.now() - backAt).toBeLessThan(5000);

    await eventually(async () => expect(await harness.store.articleCount()).toBe(total), 20_000);
    await eventually(
      async () => expect(await harness.queues.articles.getCompletedCount()).toBe(total),
      20_000,
    );
    expect(await harness.queues.articles.getFailedCount()).toBe(0);
    for (let i = 0; i < total; i++) {
      expect(await harness.store.upsertCount(`${site.origin}/r${i}`)).toBeGreaterThanOrEqual(1);
    }
  });

  // Its own waits: the slow job's start (a local fetch), 10 s for the hand-back, 10 s for the rest.
  it("gives back the jobs Redis moved to active for this worker without answering, on reconnect", {
    timeout: 60_000,
  }, async () => {
    const redis = await redisFor();
    let slowStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      slowStarted = resolve;
    });
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    site.route("/slow", () => ({ body: articleHtml("Slow") }));
    site.route("/lost-fetch", () => ({ body: articleHtml("Lost fetch") }));
    site.route("/lost-next", () => ({ body: articleHtml("Lost next") }));
    // One job at a time, and the slow one held in its extraction until the gate opens: while it is
    // in hand the worker fetches nothing itself.
    const harness = harnessOn(redis, {
      concurrency: 1,
      extract: async (input) => {
        if (input.url.endsWith("/slow")) {
          slowStarted();
          await gate;
        }
        return fakeExtract(input);
      },
    });
    // Opened before the harness closes, also when an assertion fails first.
    cleanups.push(async () => openGate());
    const { articles } = harness.workers ?? harness.start();
    const enqueue = (path: string) =>
      enqueueArticle(
        harness.queues.articles,
        { url: `${site.origin}${path}`, trigger: "discovered" },
        window,
      );
    const stateOf = (jobId: string) => harness.queues.articles.getJobState(jobId);

    const slow = await enqueue("/slow");
    await started;
    const slowToken = await redis.client().get(`${harness.queues.articles.toKey(slow.jobId)}:lock`);
    expect(slowToken?.startsWith(`${articles.id}:`)).toBe(true);

    // What lost replies leave: jobs active, locked with this worker's tokens, the worker never told.
    // One as a moveToActive run twice leaves it (a token of its own); one as a moveToFinished run
    // twice leaves it (the token of the job it finished, here the job still in hand). Only a
    // reconnect (or, 30 s on, the stalled-job check) can hand them back.
    const lostFetch = await enqueue("/lost-fetch");
    await articles.getBackend().moveToActive(`${articles.id}:lost-reply`);
    const lostNext = await enqueue("/lost-next");
    await articles.getBackend().moveToActive(slowToken ?? "");
    expect(await stateOf(lostFetch.jobId)).toBe("active");
    expect(await stateOf(lostNext.jobId)).toBe("active");

    const killedAt = performance.now();
    await redis.client().call("CLIENT", "KILL", "TYPE", "normal");
    await eventually(async () => {
      expect(await stateOf(lostFetch.jobId)).toBe("prioritized");
      expect(await stateOf(lostNext.jobId)).toBe("prioritized");
    }, 10_000);
    expect(performance.now() - killedAt).toBeLessThan(5000);
    // The job in hand was left alone: it finishes as usual, then the two given back.
    expect(await stateOf(slow.jobId)).toBe("active");

    openGate();
    // A job is stored before it is marked completed: wait for both.
    await eventually(async () => {
      expect(await harness.store.articleCount()).toBe(3);
      expect(await harness.queues.articles.getCompletedCount()).toBe(3);
    }, 10_000);
    expect(site.hits("/slow")).toHaveLength(1);
  });
});

/** Resolves once `worker` has reported `count` refused connection attempts. */
function refusals(worker: Worker, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onError = (error: Error) => {
      if (!error.message.includes("ECONNREFUSED") || ++seen < count) return;
      worker.off("error", onError);
      resolve();
    };
    worker.on("error", onError);
  });
}

/** Resolves after `count` more `completed` events of `worker`; rejects after `timeoutMs`. */
function completions(worker: Worker, count: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const timer = setTimeout(() => {
      worker.off("completed", onCompleted);
      reject(new Error(`${seen} of ${count} jobs completed within ${timeoutMs} ms`));
    }, timeoutMs);
    const onCompleted = () => {
      if (++seen < count) return;
      clearTimeout(timer);
      worker.off("completed", onCompleted);
      resolve();
    };
    worker.on("completed", onCompleted);
  });
}

function inFlight(server: NewsServer): number {
  return server.maxInFlight();
}

function spawnWorker(redisUrl: string): ChildProcess {
  const script = fileURLToPath(new URL("./support/worker-child.ts", import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const child = spawn(process.execPath, ["--import", tsx, script], {
    env: { ...process.env, TEST_REDIS_URL: redisUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return child;
}
