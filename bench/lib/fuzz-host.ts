import { type ChildProcess, fork } from "node:child_process";
import { performance } from "node:perf_hooks";
import { ArticleRecordSchema } from "../../src/domain/article.js";
import { isCopydeskError } from "../../src/domain/errors.js";
import { createExtractPool } from "../../src/queue/extract-pool.js";
import { errorMessage } from "./cli.js";
import { MIB } from "./machine.js";
import { checkRecord, type FieldFinding } from "./record-check.js";

/**
 * The fuzz suite's extraction pool runs in a child process, the host, so that its RSS is measured
 * apart from the script that builds the pages, and so that a page which kills or hangs it is
 * recorded as a crash instead of ending the run: the parent starts a new host and goes on.
 *
 * The host keeps a small queue of its own and starts a case only when a thread is free, so a case's
 * time is its extraction (and the copy into the worker), never time spent waiting behind another.
 */

export type Outcome =
  | { kind: "record"; findings: FieldFinding[]; schemaIssues: string[] }
  | { kind: "error"; code: string; message: string }
  | { kind: "crash"; error: string }
  /** Still running long after the time limit: the host was killed. */
  | { kind: "hung" };

export interface CaseInput {
  id: string;
  html: string;
  url: string;
}

export interface HostResult {
  id: string;
  /** From handing the page to the pool to its record or error. */
  ms: number;
  outcome: Outcome;
  /** Highest RSS of the host process while the case ran (sampled), MiB; 0 when the host died. */
  peakRssMiB: number;
}

type ParentMessage = ({ type: "case" } & CaseInput) | { type: "close" };

type HostMessage =
  | { type: "ready" }
  | { type: "started"; id: string }
  | { type: "warning"; message: string }
  | ({ type: "result" } & HostResult)
  | { type: "closed"; maxRssMiB: number };

const RSS_SAMPLE_MS = 50;
const LIMIT_CODES = new Set(["EXTRACT_TIMEOUT", "EXTRACT_TOO_LARGE"]);
const FETCHED_AT = new Date().toISOString();
const WARM_UP_PAGE = `<!DOCTYPE html><html><head><title>Warm-up</title></head><body><article>${"<p>A paragraph of words to read as prose.</p>".repeat(8)}</article></body></html>`;

function send(message: HostMessage): void {
  process.send?.(message);
}

/** Host side: the pool, fed from the parent over IPC until it says close. */
export async function runHost(threads: number, timeoutMs: number): Promise<void> {
  if (!process.send) throw new Error("the fuzz host runs as a child process of the fuzz script");
  const pool = createExtractPool({ threads, timeoutMs });
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  const queue: CaseInput[] = [];
  let running = 0;
  // The first page a thread sees also loads the DOM and Readability modules (seconds under load):
  // paid here, so it is not counted against whichever case happens to come first.
  const warmUp = () =>
    Promise.all(
      Array.from({ length: threads }, () =>
        pool.extract({ html: WARM_UP_PAGE, url: "https://warm-up.example.org/", fetchedAt: FETCHED_AT }),
      ),
    );
  await warmUp();

  const extract = async (input: CaseInput): Promise<void> => {
    send({ type: "started", id: input.id });
    peakRss = process.memoryUsage.rss();
    const started = performance.now();
    let outcome: Outcome;
    let ms: number;
    try {
      const record = await pool.extract({ html: input.html, url: input.url, fetchedAt: FETCHED_AT });
      ms = performance.now() - started;
      const parsed = ArticleRecordSchema.safeParse(record);
      outcome = {
        kind: "record",
        findings: checkRecord(record),
        schemaIssues: parsed.success
          ? []
          : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      };
    } catch (error) {
      ms = performance.now() - started;
      outcome = isCopydeskError(error)
        ? { kind: "error", code: error.code, message: error.message.slice(0, 300) }
        : { kind: "crash", error: errorMessage(error).slice(0, 300) };
    }
    send({ type: "result", id: input.id, ms, outcome, peakRssMiB: peakRss / MIB });
    // A page ended at a limit takes its thread with it; the replacement loads its modules on its
    // first page, which is the warm-up page again rather than the next case.
    if (outcome.kind === "error" && LIMIT_CODES.has(outcome.code)) {
      // Never rejects: a failure here is the pool's, after it replaced a thread, and is reported.
      await warmUp().catch((error: unknown) => {
        send({ type: "warning", message: `warm-up after ${outcome.code} failed: ${errorMessage(error)}` });
      });
    }
  };

  const pump = () => {
    while (running < threads && queue.length > 0) {
      const input = queue.shift() as CaseInput;
      running++;
      void extract(input).finally(() => {
        running--;
        pump();
      });
    }
  };

  const closing = new Promise<void>((resolveClosing) => {
    process.on("message", (message: ParentMessage) => {
      if (message.type === "close") resolveClosing();
      else {
        queue.push(message);
        pump();
      }
    });
  });
  send({ type: "ready" });
  await closing;
  clearInterval(sampler);
  await pool.close();
  send({ type: "closed", maxRssMiB: (process.resourceUsage().maxRSS * 1024) / MIB });
  process.disconnect?.();
}

/** Parent side: one host process. */
class Host {
  private readonly child: ChildProcess;
  private stderrTail = "";
  private exited = false;
  readonly ready: Promise<void>;
  onStarted: (id: string) => void = () => {};
  onResult: (result: HostResult) => void = () => {};
  onWarning: (message: string) => void = () => {};
  onExit: (reason: string) => void = () => {};
  /** The kernel's RSS high-water mark of the host, known once it closed. */
  maxRssMiB = 0;

  constructor(script: string, args: readonly string[]) {
    this.child = fork(script, [...args], {
      execArgv: ["--import", import.meta.resolve("tsx/esm")],
      // As docs/RELIABILITY.md advises for worker processes: glibc gives every thread a malloc arena
      // of its own and keeps what the threads freed (the copies of megabyte pages sent to them), which
      // measured 1,037 MiB against 842 with two arenas on the same hostile pages. One already set wins.
      env: { MALLOC_ARENA_MAX: "2", ...process.env },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      // Structured clone: megabyte pages cross without a JSON round trip.
      serialization: "advanced",
    });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    this.ready = new Promise((resolveReady, rejectReady) => {
      this.child.on("message", (message: HostMessage) => {
        if (message.type === "ready") resolveReady();
        else if (message.type === "started") this.onStarted(message.id);
        else if (message.type === "result") this.onResult(message);
        else if (message.type === "warning") this.onWarning(message.message);
        else this.maxRssMiB = message.maxRssMiB;
      });
      this.child.on("error", rejectReady);
      this.child.on("exit", (code, signal) => {
        this.exited = true;
        const tail = this.stderrTail.trim().split("\n").slice(-12).join(" | ").slice(-1200);
        rejectReady(new Error(`the fuzz host ended before it was ready (${signal ?? code}): ${tail}`));
        this.onExit(`host process ended (${signal ?? `exit code ${code}`}) ${tail}`.trim());
      });
    });
  }

  extract(input: CaseInput): void {
    const message: ParentMessage = { type: "case", id: input.id, html: input.html, url: input.url };
    this.child.send(message);
  }

  /** Asks the host to close its pool and waits for it to exit. */
  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolveClosed) => {
      this.onExit = () => resolveClosed();
      this.child.send({ type: "close" } satisfies ParentMessage);
    });
  }

  kill(): void {
    this.onExit = () => {};
    this.child.kill("SIGKILL");
  }
}

export interface HostRunOptions {
  /** The script to fork and its arguments: it must call runHost. */
  script: string;
  args: readonly string[];
  threads: number;
  /** A started case with no answer after this long is hung: its host is killed and replaced. */
  hangMs: number;
}

export interface HostRun {
  /** The last host's kernel RSS high-water mark (MiB); per-case peaks cover hosts that died. */
  hostMaxRssMiB: number;
  hostRestarts: number;
  /** What the hosts reported besides results (a warm-up that failed after a thread was replaced). */
  warnings: string[];
}

/**
 * Feeds cases from `next` to a host, `threads` running and as many queued ahead, until `next` has
 * none left; every case ends in exactly one `onResult`. A case that was running when its host died
 * is a crash, one that hangs is ended by killing the host; the cases queued behind them (or running
 * beside them) go round again on a new host.
 */
export async function runOnHosts<T extends CaseInput>(
  options: HostRunOptions,
  next: () => T | undefined,
  onResult: (input: T, result: HostResult) => void,
): Promise<HostRun> {
  const outstanding = new Map<string, { input: T; started: number | null; timer?: NodeJS.Timeout }>();
  const retry: T[] = [];
  let exhausted = false;
  let hostRestarts = 0;
  const warnings: string[] = [];
  /** The host whose messages count; `host` is the same one once it is ready to take cases. */
  let current: Host | undefined;
  let host: Host | undefined;
  let finish: () => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const finished = new Promise<void>((resolveFinished, rejectFinished) => {
    finish = resolveFinished;
    fail = rejectFinished;
  });

  const settle = (id: string, result: Omit<HostResult, "id">) => {
    const entry = outstanding.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    outstanding.delete(id);
    onResult(entry.input, { id, ...result });
  };

  const dispatch = () => {
    if (!host) return;
    while (outstanding.size < options.threads * 2) {
      const input = retry.shift() ?? (exhausted ? undefined : next());
      if (!input) {
        exhausted = true;
        break;
      }
      outstanding.set(input.id, { input, started: null });
      host.extract(input);
    }
    if (exhausted && outstanding.size === 0 && retry.length === 0) finish();
  };

  /** Ends the current host: cases that were running are settled by `blame`, the rest go round again. */
  const replaceHost = (blame: (id: string, startedAt: number) => Outcome | null) => {
    for (const [id, entry] of outstanding) {
      const outcome = entry.started === null ? null : blame(id, entry.started);
      if (outcome && entry.started !== null)
        settle(id, { ms: performance.now() - entry.started, outcome, peakRssMiB: 0 });
      else {
        clearTimeout(entry.timer);
        outstanding.delete(id);
        retry.push(entry.input);
      }
    }
    hostRestarts++;
    startHost().then(dispatch, fail);
  };

  const onHung = (id: string) => {
    host?.kill();
    replaceHost((other) => (other === id ? { kind: "hung" } : null));
  };

  const startHost = async () => {
    const started = new Host(options.script, options.args);
    current = started;
    host = undefined;
    started.onStarted = (id) => {
      if (started !== current) return;
      const entry = outstanding.get(id);
      if (!entry) return;
      entry.started = performance.now();
      entry.timer = setTimeout(() => onHung(id), options.hangMs);
    };
    started.onResult = (result) => {
      if (started !== current) return;
      settle(result.id, result);
      dispatch();
    };
    started.onWarning = (message) => {
      if (started === current) warnings.push(message);
    };
    started.onExit = (reason) => replaceHost(() => ({ kind: "crash", error: reason }));
    await started.ready;
    host = started;
  };

  await startHost();
  dispatch();
  await finished;
  const last = host as Host | undefined;
  await last?.close();
  return { hostMaxRssMiB: last?.maxRssMiB ?? 0, hostRestarts, warnings };
}
