import { Job, type Worker } from "bullmq";
import type { Logger } from "pino";

/**
 * Gives back, as soon as Redis is reachable again, the jobs a worker holds locks on but never got.
 *
 * When redis-server stops (a restart, a failover), the commands of its last event-loop turn are
 * executed and written to the append-only file, but their replies are never sent. ioredis then
 * sends them again on reconnect (`maxRetriesPerRequest: null` keeps them queued), so BullMQ's
 * moveToActive, or moveToFinished fetching the next job, runs twice: the job moved to active by
 * the first run is locked with this worker's token, and the worker never hears of it. BullMQ
 * reclaims such a job only when its lock expires and two stalled-job checks have seen it (lock
 * duration plus up to two stalled intervals: 60 to 90 s with the defaults), so the queue looked
 * idle for that long after every restart.
 *
 * A job is ours to give back when its lock holds one of this worker's tokens, this worker is not
 * running that job under that token, and it became active before the connection dropped (a job
 * fetched after the reconnect is never touched). The job matters, not just the token: the job
 * moveToFinished fetched is locked with the token of the job it finished, which the worker may
 * still count as running (the resent command failed, so that job never had its event).
 * moveToWait checks the token atomically, so a job another worker or the stalled check has taken
 * meanwhile is left alone.
 */
/**
 * The jobs a worker has in hand, by the token it got each one with: from the processor's start to
 * the job's `completed` or `failed` event (see tracked() in worker.ts).
 */
export class RunningJobs {
  readonly #byToken = new Map<string, string>();

  started(token: string | undefined, jobId: string | undefined): void {
    if (token && jobId) this.#byToken.set(token, jobId);
  }

  finished(token: string | undefined, jobId: string | undefined): void {
    if (token && this.#byToken.get(token) === jobId) this.#byToken.delete(token);
  }

  holds(token: string, jobId: string): boolean {
    return this.#byToken.get(token) === jobId;
  }

  /** A copy of the entries, to forget later those whose job turned out to be active no more. */
  snapshot(): [string, string][] {
    return [...this.#byToken];
  }

  forget(entries: [string, string][], active: ReadonlySet<string>): void {
    for (const [token, jobId] of entries) if (!active.has(jobId)) this.finished(token, jobId);
  }
}

export interface OrphanedJobRecovery {
  /** Looks for orphans now; resolves with the ids moved back to wait. Runs on every reconnect. */
  recover(): Promise<string[]>;
}

/** Watches `worker`'s connection and recovers its orphans each time it is ready again after a drop. */
export function recoverOrphanedJobs(
  worker: Worker,
  running: RunningJobs,
  logger: Logger,
): OrphanedJobRecovery {
  const backend = worker.getBackend();
  let disconnectedAt: number | undefined;
  let recovering: Promise<string[]> | undefined;

  const recover = (): Promise<string[]> => {
    recovering ??= findAndRelease(worker, running, disconnectedAt ?? Date.now(), logger).finally(() => {
      recovering = undefined;
    });
    return recovering;
  };

  backend.on("close", () => {
    disconnectedAt ??= Date.now();
  });
  backend.on("ready", () => {
    if (disconnectedAt === undefined || worker.closing) return;
    void recover().then(
      () => {
        disconnectedAt = undefined;
      },
      (error: unknown) => logger.warn({ err: error }, "could not look for orphaned jobs after a reconnect"),
    );
  });

  return { recover };
}

async function findAndRelease(
  worker: Worker,
  running: RunningJobs,
  activeBefore: number,
  logger: Logger,
): Promise<string[]> {
  const backend = worker.getBackend();
  const client = await backend.client;
  const ours = `${worker.id}:`;
  const released: string[] = [];
  // Taken before the active list: a job started later is active already, so it is never forgotten.
  const entries = running.snapshot();
  const active = await client.lrange(worker.toKey("active"), 0, -1);
  running.forget(entries, new Set(active));
  for (const jobId of active) {
    const token = await client.get(`${worker.toKey(jobId)}:lock`);
    if (!token?.startsWith(ours) || running.holds(token, jobId)) continue;
    const job = await Job.fromId(worker, jobId);
    if (!job || (job.processedOn ?? 0) >= activeBefore) continue;
    try {
      await job.moveToWait(token);
      released.push(jobId);
    } catch (error) {
      // The lock changed hands meanwhile (the stalled check, a retry): nothing of ours to give back.
      logger.debug({ jobId, err: error }, "orphaned job not released");
    }
  }
  if (released.length > 0) {
    logger.warn(
      { queue: worker.name, jobIds: released },
      "jobs moved to active by a command Redis ran but never answered: back to wait",
    );
  }
  return released;
}
