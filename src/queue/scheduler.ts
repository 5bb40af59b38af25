import { DEFAULT_POLL_EVERY_MS, type Source } from "../domain/source.js";
import type { SourcePollJobData } from "./job-schemas.js";
import type { SourceQueue } from "./queues.js";

export const SOURCE_POLL_JOB_NAME = "poll";

export interface SchedulerSyncReport {
  upserted: string[];
  removed: string[];
}

/**
 * Makes the queue's job schedulers match the sources: one scheduler per source, keyed by the
 * source id, upserted (so any number of scheduler processes, restarted any number of times, leave
 * exactly one), and schedulers of removed sources deleted.
 */
export async function syncSourceSchedulers(
  queue: SourceQueue,
  sources: readonly Source[],
): Promise<SchedulerSyncReport> {
  const upserted: string[] = [];
  for (const source of sources) {
    const repeat = source.cron
      ? { pattern: source.cron }
      : { every: source.everyMs ?? DEFAULT_POLL_EVERY_MS };
    const data: SourcePollJobData = { source };
    await queue.upsertJobScheduler(schedulerIdFor(source.id), repeat, {
      name: SOURCE_POLL_JOB_NAME,
      data,
      opts: { attempts: 3, backoff: { type: "exponential", delay: 5000 } },
    });
    upserted.push(source.id);
  }
  const wanted = new Set(sources.map((source) => schedulerIdFor(source.id)));
  const removed: string[] = [];
  for (const scheduler of await queue.getJobSchedulers(0, -1, true)) {
    const id = scheduler.key;
    if (id.startsWith(SCHEDULER_PREFIX) && !wanted.has(id)) {
      await queue.removeJobScheduler(id);
      removed.push(id.slice(SCHEDULER_PREFIX.length));
    }
  }
  return { upserted, removed };
}

const SCHEDULER_PREFIX = "source-";

export function schedulerIdFor(sourceId: string): string {
  return `${SCHEDULER_PREFIX}${sourceId}`;
}
