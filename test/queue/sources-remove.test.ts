import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../src/dev/free-port.js";
import { redisConnectionOptions } from "../../src/queue/connection.js";
import { startPrivateRedis } from "../../src/queue/private-redis.js";
import { openQueues, type SourceQueue } from "../../src/queue/queues.js";
import { removeSourceScheduler, schedulerIdFor, syncSourceSchedulers } from "../../src/queue/scheduler.js";
import { addSource, readSourcesFile } from "../../src/queue/sources-file.js";
import { startTestRedis, type TestRedis } from "../support/redis.js";
import { eventually, startHarness } from "./support/harness.js";
import { articleHtml, type NewsServer, startNewsServer } from "./support/news-server.js";

let site: NewsServer;
const cleanups: (() => Promise<void> | void)[] = [];

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

function feed(title: string): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>${site.origin}/</link>
    <item><title>${title}</title><link>${site.origin}/${title}-story</link></item></channel></rss>`;
}

function serveFeed(name: string): void {
  site.route(`/${name}.xml`, () => ({
    headers: { "content-type": "application/rss+xml" },
    body: feed(name),
  }));
  site.route(`/${name}-story`, () => ({ body: articleHtml(name) }));
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "copydesk-sources-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function redis(): Promise<TestRedis> {
  const server = await startTestRedis();
  cleanups.push(() => server.destroy());
  return server;
}

function queuesOn(url: string) {
  const queues = openQueues({ connection: redisConnectionOptions(url) });
  cleanups.push(() => queues.close());
  return queues;
}

/** Every job of the source's scheduler, in any state: the polls it ever produced that still exist. */
async function pollJobIds(queue: SourceQueue, sourceId: string): Promise<string[]> {
  const prefix = `repeat:${schedulerIdFor(sourceId)}:`;
  const jobs = await queue.getJobs(["waiting", "prioritized", "delayed", "active", "completed", "failed"]);
  return jobs
    .map((job) => job.id ?? "")
    .filter((id) => id.startsWith(prefix))
    .sort();
}

/** The real CLI in a child process, as a user runs it. */
function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { REDIS_URL: _redis, DATABASE_URL: _database, ...inherited } = process.env;
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      env: { ...inherited, LOG_LEVEL: "silent", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe("copydesk sources remove", () => {
  it("removes the scheduler at once: no poll of the source after it, while another source keeps polling", async () => {
    const server = await redis();
    const dataDir = tempDir();
    const sourcesFile = path.join(dataDir, "sources.json");
    serveFeed("gone");
    serveFeed("kept");
    addSource(sourcesFile, { id: "gone", kind: "feed", url: `${site.origin}/gone.xml`, everyMs: 1000 });
    addSource(sourcesFile, { id: "kept", kind: "feed", url: `${site.origin}/kept.xml`, everyMs: 1000 });

    // Workers, and the schedulers synced once from the file (`copydesk scheduler --once`): no
    // scheduler process re-syncs, so whatever removes the scheduler here is the command itself.
    const harness = startHarness({ redisUrl: server.url });
    cleanups.push(() => harness.close());
    await syncSourceSchedulers(harness.queues.sources, readSourcesFile(sourcesFile));
    const queue = harness.queues.sources;

    // The source is polled, repeatedly.
    await eventually(async () => expect(site.hits("/gone.xml").length).toBeGreaterThanOrEqual(2), 60_000);

    const removed = await runCli(["sources", "remove", "gone"], {
      REDIS_URL: server.url,
      COPYDESK_DATA_DIR: dataDir,
      COPYDESK_SOURCES_FILE: sourcesFile,
    });
    expect(removed.stderr).toBe("");
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(
      /^removed gone from .*sources\.json; no schedule of it is left in Redis \(scheduler removed now\)/,
    );
    expect(readSourcesFile(sourcesFile).map((source) => source.id)).toEqual(["kept"]);

    // Gone from Redis as the command returns: no scheduler, no poll waiting or delayed for it.
    expect(await queue.getJobScheduler(schedulerIdFor("gone"))).toBeUndefined();
    expect((await queue.getJobSchedulers()).map((scheduler) => scheduler.key)).toEqual([
      schedulerIdFor("kept"),
    ]);
    const pending = await queue.getJobs(["waiting", "prioritized", "delayed"]);
    expect(pending.filter((job) => job.repeatJobKey === schedulerIdFor("gone"))).toEqual([]);

    // A poll that was running when the command ran may finish; wait for it, then take stock.
    await eventually(async () => {
      const active = await queue.getJobs(["active"]);
      expect(active.filter((job) => job.repeatJobKey === schedulerIdFor("gone"))).toEqual([]);
    }, 60_000);
    const hitsAtRemoval = site.hits("/gone.xml").length;
    const jobsAtRemoval = await pollJobIds(queue, "gone");
    const keptAtRemoval = site.hits("/kept.xml").length;

    // The observation window is counted in polls of the other source, not in wall-clock time: four
    // more polls of "kept" (each a second or more apart, as its scheduler spaces them) mean the
    // removed source, on the same interval and the same workers, would have been polled about four
    // times too. A loaded machine stretches the window instead of shortening it.
    await eventually(
      async () => expect(site.hits("/kept.xml").length).toBeGreaterThanOrEqual(keptAtRemoval + 4),
      90_000,
      100,
    );
    expect(site.hits("/gone.xml")).toHaveLength(hitsAtRemoval);
    expect(await pollJobIds(queue, "gone")).toEqual(jobsAtRemoval);
    expect(await queue.getJobScheduler(schedulerIdFor("gone"))).toBeUndefined();
  }, 180_000);

  it("removes the schedule kept by the private redis-server of a stopped `copydesk start`", async () => {
    const dataDir = tempDir();
    const sourcesFile = path.join(dataDir, "sources.json");
    addSource(sourcesFile, { id: "feed-a", kind: "feed", url: `${site.origin}/a.xml`, everyMs: 60_000 });
    const logger = pino({ level: "silent" });
    // `start` ran here once: its private Redis holds the scheduler in its append-only file.
    const first = await startPrivateRedis({ dataDir, logger });
    const before = openQueues({ connection: redisConnectionOptions(first.url) });
    await syncSourceSchedulers(before.sources, readSourcesFile(sourcesFile));
    expect(await before.sources.getJobSchedulersCount()).toBe(1);
    await before.close();
    await first.stop();

    const removed = await runCli(["sources", "remove", "feed-a"], {
      COPYDESK_DATA_DIR: dataDir,
      COPYDESK_SOURCES_FILE: sourcesFile,
    });
    expect(removed.stderr).toBe("");
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain("no schedule of it is left in Redis (scheduler removed now)");

    // The next `start` finds no scheduler and no poll for it, before any sync.
    const again = await startPrivateRedis({ dataDir, logger });
    cleanups.push(() => again.stop());
    expect(again.owned).toBe(true);
    const after = queuesOn(again.url);
    expect(await after.sources.getJobSchedulersCount()).toBe(0);
    expect(await pollJobIds(after.sources, "feed-a")).toEqual([]);
  }, 120_000);

  it("edits only the file when no Redis ever held a schedule; an unknown id exits 2 with one line", async () => {
    const dataDir = tempDir();
    const sourcesFile = path.join(dataDir, "sources.json");
    addSource(sourcesFile, { id: "feed-a", kind: "feed", url: `${site.origin}/a.xml` });
    const env = { COPYDESK_DATA_DIR: dataDir, COPYDESK_SOURCES_FILE: sourcesFile };
    const removed = await runCli(["sources", "remove", "feed-a"], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("no Redis has held its schedule");
    expect(existsSync(path.join(dataDir, "redis"))).toBe(false);
    expect(readSourcesFile(sourcesFile)).toEqual([]);

    const unknown = await runCli(["sources", "remove", "feed-a"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("copydesk: INPUT_INVALID: no source with id feed-a\n");
  }, 60_000);

  it("says so when Redis does not answer, having edited the file", async () => {
    const dataDir = tempDir();
    const sourcesFile = path.join(dataDir, "sources.json");
    addSource(sourcesFile, { id: "feed-a", kind: "feed", url: `${site.origin}/a.xml` });
    // A port nothing listens on.
    const port = await freePort();
    const removed = await runCli(["sources", "remove", "feed-a", "--timeout", "1"], {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      COPYDESK_DATA_DIR: dataDir,
      COPYDESK_SOURCES_FILE: sourcesFile,
    });
    expect(removed.code).not.toBe(0);
    expect(removed.stderr.trim().split("\n")).toHaveLength(1);
    expect(removed.stderr).toMatch(
      /^copydesk: QUEUE_UNAVAILABLE: removed feed-a from .*, but Redis at redis:\/\/127\.0\.0\.1:\d+\/? did not answer within 1s/,
    );
    expect(readSourcesFile(sourcesFile)).toEqual([]);
  }, 60_000);

  it("also removes a leftover scheduler of an id no longer in the file", async () => {
    const server = await redis();
    const dataDir = tempDir();
    const queues = queuesOn(server.url);
    await syncSourceSchedulers(queues.sources, [
      { id: "stale", kind: "feed", url: `${site.origin}/stale.xml`, everyMs: 60_000, maxItems: 10 },
    ]);
    const removed = await runCli(["sources", "remove", "stale"], {
      REDIS_URL: server.url,
      COPYDESK_DATA_DIR: dataDir,
      COPYDESK_SOURCES_FILE: path.join(dataDir, "sources.json"),
    });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(
      /^stale was not in .*; no schedule of it is left in Redis \(scheduler removed now\)/,
    );
    expect(await queues.sources.getJobSchedulersCount()).toBe(0);
  }, 60_000);
});

describe("removeSourceScheduler", () => {
  it("drops the source's polls that are queued but not started, and no other source's", async () => {
    const server = await redis();
    // No workers: the first poll of an `every` scheduler sits in the wait list.
    const queues = queuesOn(server.url);
    await syncSourceSchedulers(queues.sources, [
      { id: "a", kind: "feed", url: `${site.origin}/a.xml`, everyMs: 1000, maxItems: 10 },
      { id: "b", kind: "feed", url: `${site.origin}/b.xml`, everyMs: 1000, maxItems: 10 },
    ]);
    const queuedOfA = await pollJobIds(queues.sources, "a");
    expect(queuedOfA.length).toBeGreaterThan(0);
    // The first poll of an `every` scheduler is due at once: it is in the wait list, where BullMQ's
    // removeJobScheduler (which takes only the delayed next one) would leave it to run once more.
    const waiting = (await queues.sources.getJobs(["waiting"])).filter(
      (job) => job.repeatJobKey === schedulerIdFor("a"),
    );
    expect(waiting.map((job) => job.id)).toEqual(queuedOfA);
    const removal = await removeSourceScheduler(queues.sources, "a");
    expect(removal.scheduler).toBe(true);
    expect(removal.droppedPolls).toEqual(queuedOfA);
    expect(removal.runningPolls).toEqual([]);
    expect(await pollJobIds(queues.sources, "a")).toEqual([]);
    expect((await pollJobIds(queues.sources, "b")).length).toBeGreaterThan(0);
    expect(await queues.sources.getJobSchedulersCount()).toBe(1);
    expect(await removeSourceScheduler(queues.sources, "a")).toEqual({
      scheduler: false,
      droppedPolls: [],
      runningPolls: [],
    });
  }, 60_000);
});
