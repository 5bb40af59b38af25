import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasErrorCode } from "../../src/domain/errors.js";
import { RedisHostPolicy } from "../../src/fetchers/redis-host-policy.js";
import { startTestRedis, type TestRedis } from "../support/redis.js";
import { expectFetchError } from "./helpers.js";

describe("RedisHostPolicy", () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await startTestRedis();
  });

  afterAll(async () => {
    await redis?.destroy();
  });

  it("answers a wait longer than it may hold with FETCH_HOST_BUSY, a retry after the host's wait", async () => {
    const policy = new RedisHostPolicy({ redis: redis.client(), concurrency: 1, maxWaitMs: 50 });
    const held = await policy.acquire("busy.test", 5000);
    try {
      const error = await expectFetchError(policy.acquire("busy.test", 0), "FETCH_HOST_BUSY");
      expect(error.action).toBe("retry");
      expect(error.retryAfterMs).toBeGreaterThan(4000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(5000);
      expect(error.details.host).toBe("busy.test");
      expect(hasErrorCode(error, "FETCH_HOST_BUSY")).toBe(true);
      // Another host is not held up.
      (await policy.acquire("free.test", 0))();
    } finally {
      held();
    }
  });
});
