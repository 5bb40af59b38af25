import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort, type Worker } from "node:worker_threads";
import { Piscina } from "piscina";
import type { ArticleRecord } from "../domain/article.js";
import { CopydeskError, ERROR_CODES, type ErrorCode } from "../domain/errors.js";
import type { ParsePageInput } from "../domain/page.js";
import { EXTRACT_TIMEOUT_MS, EXTRACTION_HEAP_MB } from "../extract-config.js";
import type { DomEngine } from "../parsers/engine/dom.js";

/** What the worker thread sends back: a record, or the code and message of the error it met. */
export type ExtractReply = (
  | { ok: true; record: ArticleRecord }
  | { ok: false; code: string; message: string }
) & {
  /** Set, to the thread's id, by a thread whose heap grew too far: the pool ends it after the page. */
  retireThread?: number;
};

/**
 * What the worker thread receives. Its first act is a message on `started`: the time limit counts
 * from there, so a page waiting for a free thread (or for one being replaced) is not charged for it.
 */
export interface ExtractTask {
  input: ParsePageInput;
  engine?: DomEngine;
  started: MessagePort;
}

export interface ExtractPool {
  /**
   * The page's record, from a thread. A page that runs past the time limit, or takes its thread
   * past the heap limit, rejects with EXTRACT_TIMEOUT or EXTRACT_TOO_LARGE: that thread is ended
   * and replaced, the other threads go on serving pages.
   */
  extract(input: ParsePageInput, options?: { engine?: DomEngine }): Promise<ArticleRecord>;
  readonly threads: number;
  close(): Promise<void>;
}

export interface ExtractPoolOptions {
  /** Worker threads; 0 picks one less than the CPUs (at least one). */
  threads: number;
  /**
   * Old-generation heap of each thread. V8 sizes heaps from the machine's memory and collects
   * lazily, so without a cap a thread's RSS keeps creeping up long after its live set is flat.
   */
  maxHeapMb?: number;
  /** Time one page may run in its thread; EXTRACT_TIMEOUT_MS by default. */
  timeoutMs?: number;
  /** Worker module; the default is extract-worker next to this file. Tests pass a lighter one. */
  workerUrl?: URL;
  /**
   * Keep `threads` threads started, replacing one ended at a limit at once (the default). A command
   * that extracts one page passes false: threads start on demand, none is started that nothing would
   * use, and the process does not wait for one to boot before it can exit.
   */
  keepThreadsStarted?: boolean;
  /**
   * A thread that fails with no page of ours in it (out of memory after its page was aborted at the
   * time limit, say): piscina replaces it and reports it here. The pool never lets it end the process.
   */
  onThreadError?: (error: unknown) => void;
}

export { EXTRACT_TIMEOUT_MS, EXTRACTION_HEAP_MB };

/** The default worker: extract-worker.ts under tsx and vitest, extract-worker.js from dist. */
export function defaultExtractWorkerUrl(): URL {
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./extract-worker${extension}`, import.meta.url);
}

/**
 * Worker threads start with a bare module loader: a .ts worker needs tsx's hooks registered in the
 * thread itself (the parent's --import is not enough under vitest, which does not use it). `--import
 * tsx` does not do it on Node 20: tsx 4.23 registers its hooks from a worker thread only on Node
 * versions whose module.register works there (22.22, 24.11 and later), so on 20 a thread started with
 * it fails on the first .ts import (ERR_UNKNOWN_FILE_EXTENSION). The thread calls tsx's own register()
 * instead, from an inline module; the API is resolved from this package, whatever the current
 * directory is.
 */
export function execArgvFor(workerUrl: URL): string[] {
  if (!workerUrl.pathname.endsWith(".ts")) return [];
  const api = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import{register}from${JSON.stringify(api)};register();`;
  return ["--import", `data:text/javascript,${encodeURIComponent(bootstrap)}`];
}

export function resolveThreads(threads: number): number {
  return threads > 0 ? threads : Math.max(1, availableParallelism() - 1);
}

export function createExtractPool(options: ExtractPoolOptions): ExtractPool {
  const workerUrl = options.workerUrl ?? defaultExtractWorkerUrl();
  const threads = resolveThreads(options.threads);
  const timeoutMs = options.timeoutMs ?? EXTRACT_TIMEOUT_MS;
  const maxHeapMb = options.maxHeapMb ?? EXTRACTION_HEAP_MB;
  const pool = new Piscina({
    filename: fileURLToPath(workerUrl),
    minThreads: options.keepThreadsStarted === false ? 0 : threads,
    maxThreads: threads,
    execArgv: execArgvFor(workerUrl),
    // A thread past this heap is ended by Node (ERR_WORKER_OUT_OF_MEMORY) and replaced by piscina.
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
    // Long-lived workers: a fresh thread per page would pay DOM library start-up every time.
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  // A thread that cannot load its module is replaced by piscina with another that cannot either, and
  // pages wait for a thread forever. Until a first page has started in some thread, any thread
  // failure is such a start-up failure: the pool is then broken, its waiting pages and all later
  // ones reject with EXTRACT_POOL_FAILED. After that, a failure with no page in it is a thread ended
  // at a limit (out of memory after its page was aborted), which piscina replaces. A page that
  // fails in its thread before it started, with no page started before it, breaks the pool too.
  let pageStarted = false;
  let broken: CopydeskError | undefined;
  const waiting = new Set<AbortController>();
  const breakPool = (error: unknown): CopydeskError => {
    broken ??= new CopydeskError(
      "EXTRACT_POOL_FAILED",
      `no extraction thread could start: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
    for (const controller of waiting) controller.abort();
    return broken;
  };
  // Without a listener, piscina's 'error' event would end the whole process (a worker's, with every
  // job in flight); each page's caller has had its own typed error already.
  pool.on("error", (error: unknown) => {
    if (!pageStarted) breakPool(error);
    options.onThreadError?.(error);
  });
  const slots = threadSlots(pool, threads, timeoutMs);
  return {
    threads,
    async extract(input, extractOptions = {}) {
      if (broken) throw broken;
      const slot = await slots.acquire();
      try {
        return await runInSlot(input, extractOptions);
      } finally {
        slot.release();
      }
    },
    close: () => pool.close({ force: false }),
  };

  /** One page in the pool, in a slot of its own. */
  async function runInSlot(
    input: ParsePageInput,
    extractOptions: { engine?: DomEngine },
  ): Promise<ArticleRecord> {
    if (broken) throw broken;
    const { port1, port2 } = new MessageChannel();
    const deadline = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    port1.once("message", () => {
      pageStarted = true;
      waiting.delete(deadline);
      timer = setTimeout(() => deadline.abort(), timeoutMs);
    });
    const task: ExtractTask = { input, started: port2 };
    if (extractOptions.engine) task.engine = extractOptions.engine;
    let reply: ExtractReply;
    waiting.add(deadline);
    try {
      // An aborted task's thread is terminated by piscina, which starts another in its place.
      reply = (await pool.run(task, { transferList: [port2], signal: deadline.signal })) as ExtractReply;
    } catch (error) {
      if (broken) throw broken;
      // Failed in a thread before any page ever started (the input itself could not be sent
      // across is not that): the thread's module did not load.
      if (
        !pageStarted &&
        !deadline.signal.aborted &&
        (error as Error | undefined)?.name !== "DataCloneError"
      ) {
        throw breakPool(error);
      }
      throw limitError(error, deadline.signal.aborted, input.url, { timeoutMs, maxHeapMb });
    } finally {
      waiting.delete(deadline);
      clearTimeout(timer);
      port1.close();
    }
    if (reply.retireThread !== undefined) slots.retire(reply.retireThread);
    if (reply.ok) return reply.record;
    const code: ErrorCode = reply.code in ERROR_CODES ? (reply.code as ErrorCode) : "EXTRACT_FAILED";
    throw new CopydeskError(code, reply.message, { details: { url: input.url } });
  }
}

interface ThreadSlots {
  /** Resolves when fewer than `threads` pages are in the pool and no ended thread is still exiting. */
  acquire(): Promise<{ release(): void }>;
  /**
   * Ends an idle thread (its page answered, and no other page can be given to it before the slot
   * is released): piscina replaces it, and pages wait for its exit as for a thread ended at a limit.
   */
  retire(threadId: number): void;
}

/**
 * At most `threads` pages in the pool at once, and none started while a thread ended at a limit is
 * still exiting. piscina starts a replacement at once and would hand it the next page while the
 * ended thread's isolate, up to its whole heap, is still being torn down: three threads' memory
 * for a pool of two. Pages wait here instead (their time limit has not started), until the ended
 * thread's 'exit', or `graceMs` for a thread that never reports it. (The fuzz run's RSS high-water
 * mark turned out to come mostly from glibc's per-thread arenas: docs/RELIABILITY.md.)
 */
function threadSlots(pool: Piscina, threads: number, graceMs: number): ThreadSlots {
  let free = threads;
  const queue: (() => void)[] = [];
  const exiting = new Set<Promise<void>>();
  const known = new Set<Worker>();
  const grant = () => {
    while (free > 0 && exiting.size === 0 && queue.length > 0) {
      free--;
      (queue.shift() as () => void)();
    }
  };
  // piscina reports a thread's end before it drops the thread from `pool.threads`; the threads known
  // before and missing after are the ended ones.
  pool.on("workerCreate", () => {
    for (const worker of pool.threads) known.add(worker);
  });
  const awaitExit = (worker: Worker) => {
    const exited = new Promise<void>((resolve) => {
      const grace = setTimeout(resolve, graceMs);
      grace.unref();
      worker.once("exit", () => {
        clearTimeout(grace);
        resolve();
      });
    });
    exiting.add(exited);
    void exited.then(() => {
      exiting.delete(exited);
      grant();
    });
  };
  pool.on("workerDestroy", () => {
    queueMicrotask(() => {
      const live = new Set(pool.threads);
      for (const worker of known) {
        if (live.has(worker)) continue;
        known.delete(worker);
        if (worker.threadId !== -1) awaitExit(worker);
      }
    });
  });
  return {
    retire(threadId) {
      const worker = pool.threads.find((thread) => thread.threadId === threadId);
      if (!worker) return;
      known.delete(worker);
      awaitExit(worker);
      void worker.terminate();
    },
    acquire: () =>
      new Promise((resolve) => {
        let released = false;
        const slot = {
          release() {
            if (released) return;
            released = true;
            free++;
            // After the ended thread, if any, is known to be exiting: piscina drops it within the
            // current turn, and the check above runs in a microtask of it.
            setImmediate(grant);
          },
        };
        queue.push(() => resolve(slot));
        grant();
      }),
  };
}

/** The typed error for a thread ended at a limit; any other failure of the pool as it came. */
function limitError(
  error: unknown,
  timedOut: boolean,
  url: string,
  limits: { timeoutMs: number; maxHeapMb: number },
): unknown {
  if (timedOut) {
    return new CopydeskError(
      "EXTRACT_TIMEOUT",
      `extraction ran past ${limits.timeoutMs} ms: its thread was ended`,
      { details: { url, timeoutMs: limits.timeoutMs } },
    );
  }
  if ((error as NodeJS.ErrnoException | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY") {
    return new CopydeskError(
      "EXTRACT_TOO_LARGE",
      `extraction took its thread past its ${limits.maxHeapMb} MiB heap: the thread was ended`,
      { details: { url, maxHeapMb: limits.maxHeapMb }, cause: error },
    );
  }
  return error;
}
