import { Counter, Histogram, Registry } from "prom-client";
import type { UpsertOutcome } from "./store/article-store.js";

/**
 * Pipeline metrics shared by every role of one process: workers record into them, the API serves
 * them at /metrics (it merges this registry with its own). Here rather than under api/ or queue/
 * so neither imports the other; processors see only the small `PipelineRecorder` they are handed.
 *
 * - copydesk_fetch_outcomes_total{code}: one per page fetch, `code` = "ok", "not_modified" or the
 *   CopydeskError code (FETCH_TIMEOUT_BODY…), "unexpected" for anything else.
 * - copydesk_extraction_duration_seconds: extraction wall time per page, failures included.
 * - copydesk_articles_upserted_total{outcome}: created, revised, unchanged.
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

/** What the article job reports as it goes; the queue depends on this, not on prom-client. */
export interface PipelineRecorder {
  /** "ok", "not_modified" or an error code. */
  fetchOutcome(code: string): void;
  extractionSeconds(seconds: number): void;
  articleUpserted(outcome: UpsertOutcome): void;
}

/** Records into the shared Prometheus metrics above. */
export const prometheusRecorder: PipelineRecorder = {
  fetchOutcome: (code) => fetchOutcomes.inc({ code }),
  extractionSeconds: (seconds) => extractionSeconds.observe(seconds),
  articleUpserted: (outcome) => articlesUpserted.inc({ outcome }),
};
