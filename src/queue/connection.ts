import type { RedisOptions } from "bullmq";
import { CopydeskError } from "../domain/errors.js";

/**
 * Delay before reconnect attempt `times` (1, 2, …): 50 ms doubling up to RECONNECT_CAP_MS. The cap
 * is the longest a client can sit idle after Redis is back before its next attempt finds it, so it
 * is kept at a second (it was 3 s, plus BullMQ's own wait for its blocking connection); one
 * connection attempt a second per client is nothing for a Redis that is down anyway.
 */
export const RECONNECT_CAP_MS = 1000;

export function reconnectDelayMs(times: number): number {
  return Math.min(50 * 2 ** Math.max(0, times - 1), RECONNECT_CAP_MS);
}

/**
 * ioredis options from a REDIS_URL: redis://[user:pass@]host:port[/db], rediss:// for TLS, or
 * unix:///path/to/redis.sock (what `start` uses for its private redis-server).
 *
 * Workers must not give up on a command while Redis restarts (maxRetriesPerRequest: null, as BullMQ
 * requires), and reconnect with a capped backoff for as long as it takes.
 */
export function redisConnectionOptions(redisUrl: string): RedisOptions {
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch {
    throw new CopydeskError("CONFIG_INVALID", `REDIS_URL is not a URL: ${JSON.stringify(redisUrl)}`);
  }
  const base: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: reconnectDelayMs,
  };
  if (url.protocol === "unix:") return { ...base, path: decodeURIComponent(url.pathname) };
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new CopydeskError(
      "CONFIG_INVALID",
      `REDIS_URL must be redis://, rediss:// or unix://, got ${url.protocol}`,
    );
  }
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw new CopydeskError("CONFIG_INVALID", `bad Redis database in ${redisUrl}`);
  return {
    ...base,
    host: url.hostname || "127.0.0.1",
    port: url.port === "" ? 6379 : Number(url.port),
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === "rediss:" ? { tls: {} } : {}),
  };
}

/** The URL without its password, for logs. */
export function describeRedisUrl(redisUrl: string): string {
  try {
    const url = new URL(redisUrl);
    if (url.password) url.password = "***";
    return url.href;
  } catch {
    return "(unreadable REDIS_URL)";
  }
}
