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
 * running it, and it became active before the connection dropped (a job fetched after the
 * reconnect is never touched). moveToWait checks the token atomically, so a job another worker
 * or the stalled check has taken meanwhile is left alone.
 */
export interface OrphanedJobRecovery {
  /** Looks for orphans now; resolves with the ids moved back to wait. Runs on every reconnect. */
  recover(): Promise<string[]>;
}

/**
 * Watches `worker`'s connection and recovers its orphans each time it is ready again after a drop.
 * `running` holds the tokens of the jobs the worker is busy with, from the processor's start to the
 * job's `completed` or `failed` event (see tracked() in worker.ts).
 */
export function recoverOrphanedJobs(
  worker: Worker,
  running: ReadonlySet<string>,
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
  running: ReadonlySet<string>,
  activeBefore: number,
  logger: Logger,
): Promise<string[]> {
  const backend = worker.getBackend();
  const client = await backend.client;
  const ours = `${worker.id}:`;
  const released: string[] = [];
  for (const jobId of await client.lrange(worker.toKey("active"), 0, -1)) {
    const token = await client.get(`${worker.toKey(jobId)}:lock`);
    if (!token?.startsWith(ours) || running.has(token)) continue;
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
