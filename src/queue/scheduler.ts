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
      const sourceId = id.slice(SCHEDULER_PREFIX.length);
      await removeSourceScheduler(queue, sourceId);
      removed.push(sourceId);
    }
  }
  return { upserted, removed };
}

export interface SchedulerRemoval {
  /** Whether the queue had a scheduler for the source. */
  scheduler: boolean;
  /** Poll jobs of the source that had not started and were deleted with it. */
  droppedPolls: string[];
  /** Poll jobs already running: they finish, and schedule nothing after them. */
  runningPolls: string[];
}

/**
 * Stops a source's polls now: its job scheduler goes, with the next poll BullMQ keeps delayed for
 * it (`removeJobScheduler`), and so do polls already promoted to the wait list, which would
 * otherwise still run once. A poll already running finishes; a worker schedules the next iteration
 * only while the scheduler exists, so none comes after it.
 */
export async function removeSourceScheduler(queue: SourceQueue, sourceId: string): Promise<SchedulerRemoval> {
  const schedulerId = schedulerIdFor(sourceId);
  const scheduler = await queue.removeJobScheduler(schedulerId);
  const droppedPolls: string[] = [];
  const runningPolls: string[] = [];
  const ofThisSource = (job: { id?: string | undefined; repeatJobKey?: string | undefined }) =>
    job.repeatJobKey === schedulerId || (job.id ?? "").startsWith(`repeat:${schedulerId}:`);
  for (const job of await queue.getJobs(["waiting", "prioritized", "delayed"])) {
    if (!ofThisSource(job) || job.id === undefined) continue;
    try {
      await job.remove();
      droppedPolls.push(job.id);
    } catch (error) {
      // A worker took it between the listing and the removal (it is running, or has run), or
      // another process removed it first.
      const state = await job.getState();
      if (state === "waiting" || state === "prioritized" || state === "delayed") throw error;
      if (state !== "unknown") runningPolls.push(job.id);
    }
  }
  for (const job of await queue.getJobs(["active"])) {
    if (ofThisSource(job) && job.id !== undefined && !runningPolls.includes(job.id))
      runningPolls.push(job.id);
  }
  return { scheduler, droppedPolls, runningPolls };
}

const SCHEDULER_PREFIX = "source-";

export function schedulerIdFor(sourceId: string): string {
  return `${SCHEDULER_PREFIX}${sourceId}`;
}
