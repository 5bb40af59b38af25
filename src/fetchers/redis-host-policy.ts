import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { CopydeskError } from "../domain/errors.js";
import type { HostPolicy, ReleaseHost } from "./host-policy.js";

/**
 * The per-host politeness of `HostPolicy` (concurrency and a minimum delay between request starts,
 * Crawl-delay included) kept in Redis, so every worker process on every machine shares one budget
 * per host.
 *
 * A slot is a lease with an expiry in a sorted set, so a worker killed mid-request cannot hold a
 * host forever. The clock is Redis's own (TIME inside the script): workers on machines whose clocks
 * drift still agree on when a host may be asked again.
 *
 * A request that would have to wait longer than `maxWaitMs` is not waited for here: `acquire`
 * rejects with HostBusyError (FETCH_HOST_BUSY) and the queue worker puts the job back as delayed, so a host at its
 * limit parks its own jobs without holding a worker slot that jobs for other hosts could use.
 */
export class HostBusyError extends CopydeskError {
  constructor(host: string, waitMs: number) {
    super("FETCH_HOST_BUSY", `${host} is at its request limit for another ${waitMs} ms`, {
      retryAfterMs: waitMs,
      details: { host, waitMs },
    });
    this.name = "HostBusyError";
  }
}

export interface RedisHostPolicyOptions {
  redis: Redis;
  /** Requests in flight to one host, across all workers. */
  concurrency: number;
  /** Key prefix; defaults to "copydesk". */
  prefix?: string;
  /** A lease not released within this time is considered dead (its worker crashed). */
  leaseTtlMs?: number;
  /** Waits up to this long in place; a longer wait throws HostBusyError. */
  maxWaitMs?: number;
  /** How often to ask again while every slot of a host is taken. */
  pollMs?: number;
}

/** Returns 0 when granted, the ms until the host's next start when too early, -1 when every slot is taken. */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local notBefore = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < notBefore then return notBefore - now end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return -1 end
local ttl = tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
local delay = tonumber(ARGV[2])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000) end
return 0
`;

const BACKOFF = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wanted = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if wanted > current then redis.call('SET', KEYS[1], wanted, 'PX', tonumber(ARGV[1]) + 1000) end
return 0
`;

type Scripted = Redis & {
  copydeskHostAcquire(leases: string, next: string, ...args: (string | number)[]): Promise<number>;
  copydeskHostBackoff(next: string, delayMs: number): Promise<number>;
};

export type TryAcquireResult = { granted: true; release: ReleaseHost } | { granted: false; waitMs: number };

export class RedisHostPolicy implements HostPolicy {
  readonly #redis: Scripted;
  readonly #concurrency: number;
  readonly #prefix: string;
  readonly #leaseTtlMs: number;
  readonly #maxWaitMs: number;
  readonly #pollMs: number;

  constructor(options: RedisHostPolicyOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError("host concurrency must be a positive integer");
    }
    this.#concurrency = options.concurrency;
    this.#prefix = options.prefix ?? "copydesk";
    this.#leaseTtlMs = options.leaseTtlMs ?? 120_000;
    this.#maxWaitMs = options.maxWaitMs ?? 1000;
    this.#pollMs = options.pollMs ?? 100;
    const redis = options.redis as Scripted;
    if (typeof redis.copydeskHostAcquire !== "function") {
      redis.defineCommand("copydeskHostAcquire", { numberOfKeys: 2, lua: ACQUIRE });
      redis.defineCommand("copydeskHostBackoff", { numberOfKeys: 1, lua: BACKOFF });
    }
    this.#redis = redis;
  }

  async acquire(host: string, minDelayMs: number, signal?: AbortSignal): Promise<ReleaseHost> {
    let waited = 0;
    for (;;) {
      signal?.throwIfAborted();
      const attempt = await this.tryAcquire(host, minDelayMs);
      if (attempt.granted) return attempt.release;
      if (waited + attempt.waitMs > this.#maxWaitMs) throw new HostBusyError(host, attempt.waitMs);
      await sleep(attempt.waitMs, signal);
      waited += attempt.waitMs;
    }
  }

  /** One attempt: a slot now, or how long to wait before asking again. */
  async tryAcquire(host: string, minDelayMs: number): Promise<TryAcquireResult> {
    const key = this.#key(host);
    const leaseId = randomUUID();
    const answer = Number(
      await this.#redis.copydeskHostAcquire(
        `${key}:leases`,
        `${key}:next`,
        this.#concurrency,
        Math.max(0, Math.round(minDelayMs)),
        leaseId,
        this.#leaseTtlMs,
      ),
    );
    if (answer === 0) {
      let released = false;
      const release: ReleaseHost = () => {
        if (released) return;
        released = true;
        // Fire and forget: a lost release only keeps the slot until its lease expires.
        this.#redis.zrem(`${key}:leases`, leaseId).catch(() => undefined);
      };
      return { granted: true, release };
    }
    return { granted: false, waitMs: answer > 0 ? answer : this.#pollMs };
  }

  backoff(host: string, delayMs: number): void {
    this.#redis
      .copydeskHostBackoff(`${this.#key(host)}:next`, Math.max(0, Math.round(delayMs)))
      .catch(() => undefined);
  }

  #key(host: string): string {
    return `${this.#prefix}:host:${host.toLowerCase()}`;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
