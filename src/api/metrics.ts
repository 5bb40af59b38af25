import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { sharedMetrics } from "../metrics.js";
import type { ArticleStore } from "../store/article-store.js";
import type { ApiJobs } from "./deps.js";

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

/**
 * Prometheus metrics served at /metrics: the pipeline's shared ones (src/metrics.ts, recorded by
 * workers of this process) merged with this server's HTTP metrics and gauges read from the store
 * and the queue on scrape.
 */
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
