import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { ApiJobs } from "../../src/api/deps.js";
import { buildServer } from "../../src/api/server.js";
import { type Config, loadConfig } from "../../src/config.js";
import type { ArticleJobResult } from "../../src/queue/job-schemas.js";
import type { JobView } from "../../src/queue/jobs-client.js";
import type { ArticleStore } from "../../src/store/article-store.js";
import { SqliteArticleStore } from "../../src/store/sqlite/sqlite-store.js";
import { makeRecord, type RecordOverrides } from "../support/records.js";

export const WRITE_TOKEN = "test-write-token-0123456789abcdef";
export const READ_TOKEN = "test-read-token-0123456789abcdef";

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ COPYDESK_DATA_DIR: tmpdir(), COPYDESK_API_TOKENS: WRITE_TOKEN, ...env });
}

export interface TestStore {
  store: ArticleStore;
  close(): Promise<void>;
}

/** A fresh SQLite store in a temp folder, removed on close. */
export async function openTestStore(): Promise<TestStore> {
  const dir = mkdtempSync(path.join(tmpdir(), "copydesk-api-"));
  const store = await SqliteArticleStore.open(path.join(dir, "test.sqlite"));
  return {
    store,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An in-memory queue whose "worker" stores a record for the URL a few milliseconds after it is
 * queued, as the real pipeline would after fetching; URLs containing "fail" fail instead.
 */
export interface FakeJobs extends ApiJobs {
  jobs: Map<string, JobView>;
  /** Makes counts() throw, as a JobsClient does when Redis is down. */
  down: boolean;
  /** Drops the jobs still to run, and runs none queued after (before the store closes). */
  stop(): void;
}

export function fakeJobs(store: ArticleStore, delayMs = 30, record: RecordOverrides = {}): FakeJobs {
  const jobs = new Map<string, JobView>();
  const timers = new Set<NodeJS.Timeout>();
  let next = 1;
  let stopped = false;
  const fake: FakeJobs = {
    jobs,
    down: false,
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    async enqueueRefetch(url) {
      const jobId = `job-${next++}`;
      const view: JobView = {
        id: jobId,
        queue: "articles",
        name: "article",
        state: "waiting",
        url,
        attemptsMade: 0,
        createdAt: new Date().toISOString(),
        finishedAt: null,
        result: null,
        failedReason: null,
      };
      jobs.set(jobId, view);
      // Queued as the API closes: it stays waiting, as it would in Redis.
      if (stopped) return { jobId, deduplicated: false };
      const timer = setTimeout(async () => {
        timers.delete(timer);
        view.state = "active";
        if (url.includes("fail")) {
          view.state = "failed";
          view.failedReason = "FETCH_HTTP_PERMANENT: 404 Not Found";
          return;
        }
        const upserted = await store.upsertArticle(
          makeRecord(url, { fetchedAt: new Date().toISOString(), ...record }),
        );
        const result: ArticleJobResult = {
          url,
          outcome: upserted.outcome,
          articleId: upserted.articleId,
          storyId: upserted.storyId,
          revision: upserted.revision,
          followed: [],
          storedAt: new Date().toISOString(),
        };
        view.result = result;
        view.state = "completed";
        view.finishedAt = new Date().toISOString();
      }, delayMs);
      timers.add(timer);
      return { jobId, deduplicated: false };
    },
    async getJob(jobId) {
      const view = jobs.get(jobId);
      return view ? { ...view } : null;
    },
    async counts() {
      if (fake.down) throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
      const zero = { waiting: 0, active: 0, delayed: 0, prioritized: 0, completed: 0, failed: 0 };
      const articles = { ...zero };
      for (const job of jobs.values()) {
        if (job.state in articles) articles[job.state as keyof typeof zero]++;
      }
      return { articles, sources: { ...zero } };
    },
  };
  return fake;
}

export interface TestApi {
  app: FastifyInstance;
  store: ArticleStore;
  jobs: FakeJobs;
  close(): Promise<void>;
}

export async function startTestApi(env: Record<string, string> = {}, options: { jobs?: boolean } = {}) {
  const { store, close } = await openTestStore();
  const jobs = fakeJobs(store);
  const app = await buildServer({
    store,
    ...(options.jobs === false ? {} : { jobs }),
    config: testConfig(env),
  });
  await app.ready();
  return {
    app,
    store,
    jobs,
    async close() {
      jobs.stop();
      await app.close();
      await close();
    },
  } satisfies TestApi;
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
