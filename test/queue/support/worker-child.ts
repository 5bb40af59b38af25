/**
 * A worker process for the SIGKILL test: the same harness as in-process workers, in a child the
 * test can kill without a chance to clean up. Prints "ready" once its workers run.
 */
import { startHarness } from "./harness.js";

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) throw new Error("TEST_REDIS_URL is required");
const harness = startHarness({ redisUrl, concurrency: 2, lockDurationMs: 2000, stalledIntervalMs: 1000 });
await harness.workers?.articles.waitUntilReady();
process.stdout.write("ready\n");
