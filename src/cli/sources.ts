import { existsSync } from "node:fs";
import path from "node:path";
import { pino } from "pino";
import { type Config, loadConfig } from "../config.js";
import { CopydeskError, isCopydeskError } from "../domain/errors.js";
import { parseDuration, SourceKindSchema } from "../domain/source.js";
import { describeRedisUrl, redisConnectionOptions } from "../queue/connection.js";
import type { PrivateRedis } from "../queue/private-redis.js";
import { openQueues } from "../queue/queues.js";
import { ownRedis, privateRedisSocket } from "../queue/runtime.js";
import { removeSourceScheduler, type SchedulerRemoval } from "../queue/scheduler.js";
import { addSource, readSourcesFile, removeSource } from "../queue/sources-file.js";

interface AddOptions {
  kind: string;
  every?: string;
  cron?: string;
  selector?: string;
  maxItems?: string;
}

/** `copydesk sources add|list|remove`: edits the sources file the scheduler reads. */
export const sourcesAddCommand = (id: string, url: string, options: AddOptions) => {
  const config = loadConfig();
  const kind = SourceKindSchema.safeParse(options.kind);
  if (!kind.success) throw new CopydeskError("INPUT_INVALID", `--kind must be feed, sitemap or listing`);
  const everyMs = options.every === undefined ? undefined : parseDuration(options.every);
  if (everyMs === null) throw new CopydeskError("INPUT_INVALID", `--every: not a duration: ${options.every}`);
  const source = addSource(config.sourcesFile, {
    id,
    url,
    kind: kind.data,
    ...(everyMs !== undefined ? { everyMs } : {}),
    ...(options.cron ? { cron: options.cron } : {}),
    ...(options.selector ? { itemSelector: options.selector } : {}),
    ...(options.maxItems ? { maxItems: Number(options.maxItems) } : {}),
  });
  process.stdout.write(`added ${source.id} (${source.kind}) to ${config.sourcesFile}\n`);
};

export const sourcesListCommand = (options: { json?: boolean }) => {
  const config = loadConfig();
  const list = readSourcesFile(config.sourcesFile);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return;
  }
  if (list.length === 0) process.stdout.write(`no sources in ${config.sourcesFile}\n`);
  for (const source of list) {
    const when = source.cron
      ? `cron ${source.cron}`
      : `every ${Math.round((source.everyMs ?? 900_000) / 1000)}s`;
    process.stdout.write(`${source.id}\t${source.kind}\t${when}\t${source.url}\n`);
  }
};

/** How long `sources remove` waits for Redis by default before giving up on it. */
const REDIS_WAIT_SECONDS = 10;

/**
 * `copydesk sources remove <id>`: takes the source out of the sources file, then removes its job
 * scheduler (and its polls not yet started) from Redis at once, so a running pipeline polls it no
 * more instead of until its scheduler's next sync. The file goes first: a sync that reads it from
 * then on drops the source too. An id no longer in the file still has a leftover scheduler removed.
 */
export const sourcesRemoveCommand = async (id: string, options: { timeout?: string } = {}) => {
  const config = loadConfig();
  const seconds = Number(options.timeout ?? REDIS_WAIT_SECONDS);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new CopydeskError("INPUT_INVALID", `--timeout must be a number of seconds, got ${options.timeout}`);
  const inFile = removeSource(config.sourcesFile, id);
  let redis: PrivateRedis | null;
  try {
    redis = await redisOfPipeline(config);
  } catch (error) {
    if (!isCopydeskError(error) || !inFile) throw error;
    throw new CopydeskError(error.code, `removed ${id} from ${config.sourcesFile}, but ${error.message}`, {
      cause: error,
    });
  }
  if (!redis) {
    if (!inFile) throw new CopydeskError("INPUT_INVALID", `no source with id ${id}`);
    process.stdout.write(`removed ${id} from ${config.sourcesFile} (no Redis has held its schedule)\n`);
    return;
  }
  const queues = openQueues({ connection: redisConnectionOptions(redis.url) });
  // Connection errors are retried until the deadline; the last one explains a timeout.
  let lastError = "";
  for (const queue of queues.all()) {
    queue.on("error", (error: Error) => {
      lastError = error.message;
    });
  }
  let removal: SchedulerRemoval;
  try {
    removal = await withDeadline(removeSourceScheduler(queues.sources, id), seconds * 1000, () => {
      const file = inFile ? `removed ${id} from ${config.sourcesFile}, but ` : "";
      return new CopydeskError(
        "QUEUE_UNAVAILABLE",
        `${file}Redis at ${describeRedisUrl(redis.url)} did not answer within ${seconds}s${lastError ? ` (${lastError})` : ""}: run \`copydesk sources remove ${id}\` again to remove its scheduler now (a scheduler's next sync removes it too)`,
      );
    });
  } finally {
    await Promise.race([queues.close(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    await redis.stop();
  }
  if (!inFile && !removal.scheduler && removal.droppedPolls.length === 0) {
    throw new CopydeskError("INPUT_INVALID", `no source with id ${id}`);
  }
  // A scheduler already gone was removed by a scheduler's sync that read the edited file first.
  const parts = [
    inFile ? `removed ${id} from ${config.sourcesFile}` : `${id} was not in ${config.sourcesFile}`,
    `no schedule of it is left in Redis (${removal.scheduler ? "scheduler removed now" : "no scheduler found"})`,
  ];
  if (removal.droppedPolls.length > 0) parts.push(`${removal.droppedPolls.length} queued poll(s) dropped`);
  if (removal.runningPolls.length > 0)
    parts.push(`${removal.runningPolls.length} poll(s) already running finish, and nothing follows them`);
  process.stdout.write(`${parts.join("; ")}\n`);
};

/**
 * The Redis a pipeline of this configuration schedules in: REDIS_URL, else the private
 * redis-server of `copydesk start` under the data dir, started for the removal (from its
 * append-only file) when no `start` runs, so the schedule it keeps for the next start goes too.
 * Null when there is neither: no schedule exists anywhere.
 */
async function redisOfPipeline(config: Config): Promise<PrivateRedis | null> {
  if (config.redisUrl) return { url: config.redisUrl, owned: false, stop: async () => undefined };
  const socket = privateRedisSocket(config);
  if (!existsSync(path.dirname(socket))) return null;
  // Past this length (MAX_SOCKET_PATH of private-redis.ts) the private server listens on a port
  // nothing records: a running one cannot be found, and starting a second on its files is unsafe.
  if (socket.length > 100) {
    throw new CopydeskError(
      "CONFIG_INVALID",
      `the private redis-server under ${path.dirname(socket)} has no socket to reach it by (the path is too long): set REDIS_URL to remove the source's scheduler now`,
    );
  }
  return ownRedis(config, pino({ level: "silent" }), { install: false });
}

function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
