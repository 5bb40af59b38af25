import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { CopydeskError } from "../domain/errors.js";
import { freePort } from "./free-port.js";

/**
 * A throwaway PostgreSQL cluster in a temp folder, on a free port of 127.0.0.1, for the tests and
 * the store benchmark: initdb + pg_ctl from the Debian `postgresql` package, removed on stop.
 * initdb refuses to run as root, so as root the folder is handed to the `postgres` user and the
 * binaries run through runuser.
 */
export interface ThrowawayCluster {
  host: string;
  port: number;
  dir: string;
  /** A connection URL for a database of this cluster. */
  urlFor(database: string): string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

export interface ThrowawayClusterOptions {
  /** Off by default: tests and benchmarks don't need crash safety, and fsync dominates on slow disks. */
  fsync?: boolean;
  /** Folder of initdb and pg_ctl; found under /usr/lib/postgresql/<version>/bin by default. */
  binDir?: string;
}

export function findPostgresBin(): string {
  const env = process.env.COPYDESK_PG_BIN;
  if (env && existsSync(path.join(env, "initdb"))) return env;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(path.join(root, name, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new CopydeskError(
      "DEPENDENCY_MISSING",
      "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql, or run .ci/run",
    );
  }
  return path.join(root, newest, "bin");
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function runPg(bin: string, args: string[]): void {
  const [command, fullArgs] = isRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const result = spawnSync(command, fullArgs, { encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(
      `${path.basename(bin)} failed (${result.status ?? result.signal}): ${(result.stderr || result.stdout || "").trim()}`,
    );
  }
}

export async function startThrowawayCluster(
  options: ThrowawayClusterOptions = {},
): Promise<ThrowawayCluster> {
  const binDir = options.binDir ?? findPostgresBin();
  const dir = mkdtempSync(path.join(tmpdir(), "copydesk-pg-"));
  const dataDir = path.join(dir, "data");
  if (isRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const pgCtl = path.join(binDir, "pg_ctl");
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (existsSync(path.join(dataDir, "postmaster.pid")))
        runPg(pgCtl, ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A crashed test run must not leave a server behind.
  process.once("exit", stopSync);
  try {
    runPg(path.join(binDir, "initdb"), [
      "-D",
      dataDir,
      "-A",
      "trust",
      "-U",
      "postgres",
      "--no-sync",
      "-E",
      "UTF8",
    ]);
    const fsync = options.fsync ?? false;
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const settings = [
        `-p ${port}`,
        `-k ${dir}`,
        "-c listen_addresses=127.0.0.1",
        `-c fsync=${fsync ? "on" : "off"}`,
        ...(fsync ? [] : ["-c synchronous_commit=off", "-c full_page_writes=off"]),
        "-c max_connections=200",
      ].join(" ");
      try {
        runPg(pgCtl, [
          "-D",
          dataDir,
          "-l",
          path.join(dir, "server.log"),
          "-w",
          "-t",
          "60",
          "-o",
          settings,
          "start",
        ]);
        break;
      } catch (error) {
        // Another process may have taken the port between the probe and the start.
        if (attempt >= 3) {
          const log = existsSync(path.join(dir, "server.log"))
            ? readFileSync(path.join(dir, "server.log"), "utf8")
            : "";
          throw new Error(`${(error as Error).message}\n${log.slice(-2000)}`);
        }
      }
    }
    const host = "127.0.0.1";
    const urlFor = (database: string) =>
      `postgres://postgres@${host}:${port}/${encodeURIComponent(database)}`;
    return {
      host,
      port,
      dir,
      urlFor,
      async createDatabase(name: string): Promise<string> {
        const client = new pg.Client({ connectionString: urlFor("postgres") });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
        } finally {
          await client.end();
        }
        return urlFor(name);
      },
      async stop(): Promise<void> {
        process.removeListener("exit", stopSync);
        stopSync();
      },
    };
  } catch (error) {
    process.removeListener("exit", stopSync);
    stopSync();
    throw error;
  }
}
