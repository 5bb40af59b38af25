import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { redisConnectionOptions } from "../../src/queue/connection.js";
import { enqueueArticle } from "../../src/queue/enqueue.js";
import { createJobsClient, type JobsClient } from "../../src/queue/jobs-client.js";
import { openQueues, type QueueSet } from "../../src/queue/queues.js";
import { startTestRedis, type TestRedis } from "../support/redis.js";

let redis: TestRedis;
let queues: QueueSet;
let jobs: JobsClient;

beforeAll(async () => {
  redis = await startTestRedis();
  queues = openQueues({ connection: redisConnectionOptions(redis.url) });
  jobs = createJobsClient(queues, { dedupeWindowMs: 60_000 });
});

afterAll(async () => {
  await queues?.close();
  await redis?.destroy();
});

beforeEach(async () => {
  await redis.client().flushall();
});

const options = { dedupeWindowMs: 60_000, attempts: 3 };

describe("enqueueArticle", () => {
  it("queues the same URL once, whatever its spelling", async () => {
    const a = await enqueueArticle(
      queues.articles,
      { url: "https://news.example/a?utm_source=x", trigger: "discovered" },
      options,
    );
    const b = await enqueueArticle(
      queues.articles,
      { url: "https://NEWS.example/a#top", trigger: "discovered" },
      options,
    );
    expect(b.jobId).toBe(a.jobId);
    expect(a.deduplicated).toBe(false);
    expect(b.deduplicated).toBe(true);
    expect(await queues.articles.count()).toBe(1);
  });

  it("gives a manual re-fetch its own job, ahead of discovered work", async () => {
    for (let i = 0; i < 5; i++) {
      await enqueueArticle(
        queues.articles,
        { url: `https://news.example/s${i}`, trigger: "discovered" },
        options,
      );
    }
    const manual = await jobs.enqueueRefetch("https://news.example/s3", { force: true });
    expect(manual.jobId).toMatch(/^manual_url_/);
    const waiting = await queues.articles.getJobs(["prioritized", "waiting"], 0, -1, true);
    const sorted = [...waiting].sort((x, y) => (x.priority ?? 0) - (y.priority ?? 0));
    expect(sorted[0]?.id).toBe(manual.jobId);
    expect(sorted[0]?.data.force).toBe(true);
    const view = await jobs.getJob(manual.jobId);
    expect(view?.state).toBe("prioritized");
    expect(view?.url).toBe("https://news.example/s3");
    const counts = await jobs.counts();
    expect(counts.articles.prioritized).toBe(6);
  });

  it("rejects a URL that is not http(s)", async () => {
    await expect(jobs.enqueueRefetch("ftp://news.example/x")).rejects.toMatchObject({
      code: "INPUT_BAD_URL",
    });
  });
});
