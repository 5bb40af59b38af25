import { DelayedError, type Job, UnrecoverableError } from "bullmq";
import type { Logger } from "pino";
import { hasErrorCode } from "../domain/errors.js";
import type { Source } from "../domain/source.js";
import type { DiscoveredUrl } from "../fetchers/discovery/feeds.js";
import { type ArticleJobDeps, isStopError, releaseAndHalt, translateError } from "./article-processor.js";
import type { EnqueueResult } from "./enqueue.js";
import { type SourcePollJobData, SourcePollJobDataSchema, type SourcePollResult } from "./job-schemas.js";

/** The source poll job: discover the URLs a source lists, queue an article job for each. */
export interface SourcePollDeps {
  discover(source: Source, signal?: AbortSignal): Promise<DiscoveredUrl[]>;
  enqueue(url: string, source: Source): Promise<EnqueueResult>;
  logger: Logger;
  /** As for article jobs: a `stop` error releases the poll and halts the worker. */
  halt: ArticleJobDeps["halt"];
}

export async function runSourcePoll(
  job: Job<SourcePollJobData, SourcePollResult>,
  token: string | undefined,
  deps: SourcePollDeps,
  signal?: AbortSignal,
): Promise<SourcePollResult> {
  const parsed = SourcePollJobDataSchema.safeParse(job.data);
  if (!parsed.success) {
    throw new UnrecoverableError(
      `INPUT_INVALID: bad source poll payload: ${parsed.error.issues[0]?.message ?? ""}`,
    );
  }
  const { source } = parsed.data;
  const log = deps.logger.child({
    jobId: job.id,
    sourceId: source.id,
    url: source.url,
    host: new URL(source.url).host,
  });
  try {
    const urls = await deps.discover(source, signal);
    let enqueued = 0;
    for (const { url } of urls) {
      const result = await deps.enqueue(url, source);
      if (!result.deduplicated) enqueued++;
    }
    log.info({ discovered: urls.length, enqueued }, "source polled");
    return { sourceId: source.id, discovered: urls.length, enqueued };
  } catch (error) {
    if (hasErrorCode(error, "FETCH_HOST_BUSY")) {
      await job.moveToDelayed(Date.now() + (error.retryAfterMs ?? 0), token);
      throw new DelayedError();
    }
    if (isStopError(error)) return releaseAndHalt(job, token, error, deps.halt, log);
    throw translateError(error, log);
  }
}
