import { DelayedError, type Job, UnrecoverableError } from "bullmq";
import type { Logger } from "pino";
import type { ArticleRecord } from "../domain/article.js";
import { CopydeskError, hasErrorCode, isCopydeskError } from "../domain/errors.js";
import { parseInputFor } from "../domain/page.js";
import { canonicalizeUrl } from "../domain/url.js";
import type { Fetcher, FetchResult } from "../fetchers/fetch-page.js";
import { snapshotFromPage } from "../fetchers/snapshot.js";
import type { PipelineRecorder } from "../metrics.js";
import type { ParsePageInput } from "../parsers/parse-page.js";
import type { ArticleStore } from "../store/article-store.js";
import { type ArticleJobData, ArticleJobDataSchema, type ArticleJobResult } from "./job-schemas.js";

/**
 * The article job as a thin adapter (STYLE #8): fetch → snapshot → extract → upsert, each done by
 * the module that owns it, plus the translation of their errors into what BullMQ should do:
 *
 * - a host at its politeness limit: back to the delayed set, no attempt spent;
 * - `retry` errors: thrown as they are, so the backoff strategy can read Retry-After from them;
 * - `skip` errors: UnrecoverableError, so the job lands in the failed set at once, code first in
 *   its reason ("FETCH_HTTP_PERMANENT: ...");
 * - `stop` errors (this process is misconfigured, the job is not at fault): the job is released
 *   without spending an attempt and the worker is told to halt (`halt`).
 */
export interface ArticleJobDeps {
  fetcher: Pick<Fetcher, "fetchPage">;
  store: Pick<ArticleStore, "getLatestSnapshot" | "putSnapshot" | "upsertArticle">;
  extract(input: ParsePageInput): Promise<ArticleRecord>;
  /** Queues the original an aggregator copy points at, as its own article job. */
  enqueueOriginal(url: string, job: ArticleJobData): Promise<void>;
  logger: Logger;
  /** Fetch outcomes, extraction time and upsert outcomes, for /metrics. */
  recorder: PipelineRecorder;
  /**
   * Called when a job meets a `stop` error, after the job is released: this worker must take no
   * more jobs. Called once per such job; logging it once is the callee's business.
   */
  halt(error: CopydeskError, log: Logger): void;
  /** Extra delay on top of a busy host's wait, so parked jobs do not all return at the same instant. */
  random?: () => number;
}

/** A job released by a halting worker waits this long, then goes to whichever worker is healthy. */
export const RELEASE_DELAY_MS = 1000;

export async function runArticleJob(
  job: Job<ArticleJobData, ArticleJobResult>,
  token: string | undefined,
  deps: ArticleJobDeps,
  signal?: AbortSignal,
): Promise<ArticleJobResult> {
  const parsed = ArticleJobDataSchema.safeParse(job.data);
  if (!parsed.success) {
    throw new UnrecoverableError(
      `INPUT_INVALID: bad article job payload: ${parsed.error.issues[0]?.message ?? ""}`,
    );
  }
  const data = parsed.data;
  const log = deps.logger.child({ jobId: job.id, url: data.url, host: hostOf(data.url) });
  try {
    const result = await fetchExtractStore(data, deps, log, signal);
    log.info(
      { outcome: result.outcome, articleId: result.articleId, followed: result.followed.length },
      "article stored",
    );
    return result;
  } catch (error) {
    if (hasErrorCode(error, "FETCH_HOST_BUSY")) {
      const waitMs = error.retryAfterMs ?? 0;
      const jitter = Math.round((deps.random ?? Math.random)() * Math.min(1000, waitMs));
      log.debug({ waitMs }, "host at its limit: job delayed");
      await job.moveToDelayed(Date.now() + waitMs + jitter, token);
      throw new DelayedError();
    }
    if (isStopError(error)) return releaseAndHalt(job, token, error, deps.halt, log);
    throw translateError(error, log);
  }
}

export function isStopError(error: unknown): error is CopydeskError {
  return isCopydeskError(error) && error.action === "stop";
}

/**
 * Puts the job back (delayed, no attempt spent: DelayedError is not a failure) and halts the
 * worker. The worker is halted even if Redis refuses the move: its lock then lapses and the
 * stalled-job check hands the job on, which is a release too.
 */
export async function releaseAndHalt(
  job: Job,
  token: string | undefined,
  error: CopydeskError,
  halt: ArticleJobDeps["halt"],
  log: Logger,
): Promise<never> {
  try {
    await job.moveToDelayed(Date.now() + RELEASE_DELAY_MS, token);
  } finally {
    halt(error, log);
  }
  throw new DelayedError();
}

async function fetchExtractStore(
  data: ArticleJobData,
  deps: ArticleJobDeps,
  log: Logger,
  signal: AbortSignal | undefined,
): Promise<ArticleJobResult> {
  const snapshot = data.force ? null : await deps.store.getLatestSnapshot(data.url);
  const validators = snapshot ? { etag: snapshot.etag, lastModified: snapshot.lastModified } : null;
  const fetched = await recordFetch(
    deps.fetcher.fetchPage(data.url, { validators, ...(signal ? { signal } : {}) }),
    deps.recorder,
  );
  if (fetched.kind === "not-modified") {
    log.debug("not modified since the last snapshot");
    return {
      url: data.url,
      outcome: "not-modified",
      articleId: null,
      storyId: null,
      revision: null,
      followed: [],
      storedAt: new Date().toISOString(),
    };
  }
  const page = fetched.page;
  await deps.store.putSnapshot(snapshotFromPage(page));
  const extractStarted = performance.now();
  let record: ArticleRecord;
  try {
    record = await deps.extract(parseInputFor(page));
  } finally {
    deps.recorder.extractionSeconds((performance.now() - extractStarted) / 1000);
  }
  const stored = await deps.store.upsertArticle(record);
  deps.recorder.articleUpserted(stored.outcome);
  const followed: string[] = [];
  const original = data.viaAggregator ? null : originalOfAggregatorCopy(record, data.fromListing);
  if (original) {
    await deps.enqueueOriginal(original, data);
    followed.push(original);
  }
  return {
    url: data.url,
    outcome: stored.outcome,
    articleId: stored.articleId,
    storyId: stored.storyId,
    revision: stored.revision,
    followed,
    storedAt: new Date().toISOString(),
  };
}

/** Counts the fetch by outcome; a host at its limit was not a fetch and is not counted. */
async function recordFetch(fetching: Promise<FetchResult>, recorder: PipelineRecorder): Promise<FetchResult> {
  try {
    const fetched = await fetching;
    recorder.fetchOutcome(fetched.kind === "not-modified" ? "not_modified" : "ok");
    return fetched;
  } catch (error) {
    if (!hasErrorCode(error, "FETCH_HOST_BUSY"))
      recorder.fetchOutcome(isCopydeskError(error) ? error.code : "unexpected");
    throw error;
  }
}

/**
 * When the record is an aggregator's copy (a site rule says so, or a listing source led to it), the
 * nearest upstream copy with a URL (what its "Original URL:" line names): fetching it makes the
 * original a stored article of the same story, with the aggregator copy among its sources. Null for
 * originals and for syndicated copies found elsewhere.
 */
export function originalOfAggregatorCopy(record: ArticleRecord, fromListing = false): string | null {
  const self = canonicalSafe(record.url);
  const chain = record.provenance;
  const selfIndex = chain.findIndex((entry) => entry.url !== null && canonicalSafe(entry.url) === self);
  const selfEntry = selfIndex >= 0 ? chain[selfIndex] : chain[chain.length - 1];
  if (selfEntry?.role !== "aggregator" && !fromListing) return null;
  const upstream = chain.slice(0, selfIndex >= 0 ? selfIndex : chain.length - 1);
  for (let i = upstream.length - 1; i >= 0; i--) {
    const url = upstream[i]?.url;
    if (url && canonicalSafe(url) !== self) return canonicalSafe(url);
  }
  return null;
}

function canonicalSafe(url: string): string {
  try {
    return canonicalizeUrl(url);
  } catch {
    return url;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

/** What a thrown error means for BullMQ: retry (thrown as is, reason prefixed by its code) or fail now. */
export function translateError(error: unknown, log: Logger): Error {
  if (error instanceof UnrecoverableError || error instanceof DelayedError) return error;
  if (isCopydeskError(error)) {
    const reason = `${error.code}: ${error.message}`;
    if (error.action === "skip") {
      log.warn({ code: error.code, reason: error.message }, "permanent failure: job failed");
      return new UnrecoverableError(reason);
    }
    log.warn(
      { code: error.code, reason: error.message, retryAfterMs: error.retryAfterMs },
      "retryable failure",
    );
    // Processors release jobs on `stop` errors before they get here; any other caller retries them.
    return new CopydeskError(error.code, reason, {
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      details: error.details,
      cause: error,
    });
  }
  log.error({ err: error }, "unexpected failure");
  return error instanceof Error ? error : new Error(String(error));
}
