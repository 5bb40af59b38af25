import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { freePort } from "../dev/free-port.js";
import { CopydeskError } from "../domain/errors.js";

/**
 * A redis-server of our own for single-machine use (`start`, `demo`) when REDIS_URL is not set:
 * the Debian package's binary, data under <dataDir>/redis with an append-only file (queued jobs
 * survive a restart), reachable only through a unix socket (or 127.0.0.1 when the socket path is
 * too long for the OS). A server already answering on that socket (left by an earlier run) is reused.
 */
export interface PrivateRedis {
  url: string;
  /** True when this process started the server (and `stop` will stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

export const INSTALL_HINT = "sudo apt-get install -y redis-server";

export function redisServerAvailable(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * Installs the Debian package when allowed (we are root on a Debian-like system); otherwise throws
 * DEPENDENCY_MISSING with the one command to run.
 */
export function ensureRedisServer(logger: Logger, options: { install: boolean }): void {
  if (redisServerAvailable()) return;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const apt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
  if (!options.install || !root || !apt) {
    throw new CopydeskError(
      "DEPENDENCY_MISSING",
      `redis-server is not installed. Install it with: ${INSTALL_HINT} (or set REDIS_URL to a Redis you run)`,
    );
  }
  logger.warn("redis-server is missing: installing the Debian package redis-server (apt-get)");
  process.stderr.write("copydesk: redis-server is missing; installing it: apt-get install -y redis-server\n");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "redis-server"], {
    stdio: "inherit",
    env,
  });
  if (update.status !== 0 || install.status !== 0 || !redisServerAvailable()) {
    throw new CopydeskError("DEPENDENCY_MISSING", `could not install redis-server; run: ${INSTALL_HINT}`);
  }
}

/** Unix socket paths are limited to about 107 bytes. */
const MAX_SOCKET_PATH = 100;

export async function startPrivateRedis(options: { dataDir: string; logger: Logger }): Promise<PrivateRedis> {
  const dir = path.join(options.dataDir, "redis");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const socket = path.join(dir, "redis.sock");
  const useSocket = socket.length <= MAX_SOCKET_PATH;

  if (useSocket && existsSync(socket)) {
    if (await redisAnswers({ path: socket })) {
      options.logger.info({ socket }, "reusing the private redis-server already running");
      return { url: `unix://${socket}`, owned: false, stop: async () => undefined };
    }
    rmSync(socket, { force: true });
  }

  const port = useSocket ? 0 : await freePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--appendonly",
    "yes",
    "--save",
    "",
    "--daemonize",
    "no",
    "--protected-mode",
    "yes",
    ...(useSocket ? ["--unixsocket", socket, "--unixsocketperm", "700"] : []),
  ];
  const child: ChildProcess = spawn("redis-server", args, { stdio: ["ignore", "ignore", "pipe"] });
  let failure = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    failure = (failure + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const target = useSocket ? { path: socket } : { host: "127.0.0.1", port };
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(target))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new CopydeskError(
        "DEPENDENCY_MISSING",
        `redis-server did not start: ${failure.trim() || "no output"}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = useSocket ? `unix://${socket}` : `redis://127.0.0.1:${port}`;
  options.logger.info({ redis: url, dataDir: dir }, "started a private redis-server (REDIS_URL is not set)");
  return {
    url,
    owned: true,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Whether a Redis server answers PING at the target (a unix socket or host and port). */
export async function redisAnswers(
  target: { path: string } | { host: string; port: number },
): Promise<boolean> {
  const probe = new Redis({
    ...target,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
