import type { Queue } from "bullmq";
import type { FastifyBaseLogger } from "fastify";
import type { Config } from "../config.js";
import type { JobsClient } from "../queue/jobs-client.js";
import type { ArticleStore } from "../store/article-store.js";

/**
 * What the API needs from the queue: enqueue a re-fetch, read a job back, count jobs (readiness
 * and metrics rely on `counts` failing when Redis cannot be reached). Tests pass a small fake.
 */
export type ApiJobs = Pick<JobsClient, "enqueueRefetch" | "getJob" | "counts">;

export interface ApiDeps {
  store: ArticleStore;
  /** Without it, re-fetching answers 503 API_NOT_CONFIGURED and readiness skips Redis. */
  jobs?: ApiJobs;
  /** BullMQ queues for the dashboard at /dashboard; no dashboard without them. */
  queues?: Queue[];
  config: Config;
  /** A pino logger; none means silent. */
  logger?: FastifyBaseLogger;
}
