import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { freePort } from "../../src/dev/free-port.js";
import { redisAnswers } from "../../src/queue/private-redis.js";

/**
 * A throwaway redis-server for one test file: a free port on 127.0.0.1, no persistence unless asked
 * (the restart test wants an append-only file so a restart keeps the queue), data in a temp dir.
 */
export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** Stops the server (SHUTDOWN, so an append-only file is flushed), keeping its data dir. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir. */
  start(): Promise<void>;
  /** Stops it and removes the data dir. */
  destroy(): Promise<void>;
  client(): Redis;
}

async function waitForPing(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await redisAnswers({ host: "127.0.0.1", port }))) {
    if (Date.now() > deadline)
      throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startTestRedis(options: { persistent?: boolean } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "copydesk-redis-"));
  const clients: Redis[] = [];
  let child: ChildProcess | undefined;

  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    options.persistent ? "yes" : "no",
    ...(options.persistent ? ["--appendfsync", "always"] : []),
    "--dir",
    dir,
    "--daemonize",
    "no",
  ];

  const handle: TestRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async start() {
      child = spawn("redis-server", args, { stdio: "ignore" });
      child.once("error", () => undefined);
      await waitForPing(port, 10_000);
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
      running.kill("SIGTERM");
      await exited;
      child = undefined;
    },
    async destroy() {
      for (const c of clients) c.disconnect();
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    client() {
      const c = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: null });
      clients.push(c);
      return c;
    },
  };
  await handle.start();
  return handle;
}
