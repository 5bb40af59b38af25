import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { ArticleStore } from "../store/article-store.js";
import type { ApiJobs } from "./deps.js";

/**
 * Prometheus metrics served at /metrics.
 *
 * Stages that run in the same process as the API increment the shared ones below; import them from
 * here (one registry, so /metrics shows them without wiring):
 * - `fetchOutcomes`       copydesk_fetch_outcomes_total{code}: one per fetch, `code` = "ok",
 *                         "not_modified" or the CopydeskError code (FETCH_TIMEOUT_BODY…).
 * - `extractionSeconds`   copydesk_extraction_duration_seconds: parsePage wall time per page.
 * - `articlesUpserted`    copydesk_articles_upserted_total{outcome}: created, revised, unchanged.
 * The API itself adds gauges read at scrape time (jobs by state, articles stored) and HTTP metrics.
 */
export const sharedMetrics = new Registry();

export const fetchOutcomes = new Counter({
  name: "copydesk_fetch_outcomes_total",
  help: "Page fetches by outcome code: ok, not_modified, or the error code.",
  labelNames: ["code"] as const,
  registers: [sharedMetrics],
});

export const extractionSeconds = new Histogram({
  name: "copydesk_extraction_duration_seconds",
  help: "Time to extract an article record from a fetched page.",
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [sharedMetrics],
});

export const articlesUpserted = new Counter({
  name: "copydesk_articles_upserted_total",
  help: "Article upserts by outcome: created, revised, unchanged.",
  labelNames: ["outcome"] as const,
  registers: [sharedMetrics],
});

const COUNTS_TIMEOUT_MS = 1000;

export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ApiMetrics {
  registry: Registry;
  /** Records one answered request; `route` is the route pattern, never the raw URL (bounded labels). */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/** Per-server metrics merged with the shared ones; gauges are read from the store and queue on scrape. */
export function createApiMetrics(deps: { store: ArticleStore; jobs?: ApiJobs | undefined }): ApiMetrics {
  const local = new Registry();
  collectDefaultMetrics({ register: local });

  new Gauge({
    name: "copydesk_articles_stored",
    help: "Articles in the store (current records, not revisions).",
    registers: [local],
    async collect() {
      this.set((await deps.store.stats()).articles);
    },
  });
  new Gauge({
    name: "copydesk_stories_stored",
    help: "Live stories in the store.",
    registers: [local],
    async collect() {
      this.set((await deps.store.stats()).stories);
    },
  });
  const jobs = deps.jobs;
  if (jobs) {
    new Gauge({
      name: "copydesk_jobs",
      help: "Queue jobs by queue and state.",
      labelNames: ["queue", "state"] as const,
      registers: [local],
      async collect() {
        // A scrape must neither fail nor hang while Redis is down (BullMQ waits for it to come back):
        // the gauge goes stale and readiness reports the outage.
        const counts = await withTimeout(jobs.counts(), COUNTS_TIMEOUT_MS).catch(() => null);
        if (!counts) return;
        for (const [queue, states] of Object.entries(counts)) {
          for (const [state, count] of Object.entries(states as Record<string, number>)) {
            this.set({ queue, state }, count);
          }
        }
      },
    });
  }
  const requests = new Histogram({
    name: "copydesk_http_request_duration_seconds",
    help: "API request duration by route and status.",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [local],
  });

  return {
    registry: Registry.merge([sharedMetrics, local]),
    observeRequest(method, route, status, seconds) {
      requests.observe({ method, route, status: String(status) }, seconds);
    },
  };
}
