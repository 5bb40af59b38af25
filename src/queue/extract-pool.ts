import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import type { ArticleRecord } from "../domain/article.js";
import { CopydeskError, ERROR_CODES, type ErrorCode } from "../domain/errors.js";
import type { ParsePageInput } from "../domain/page.js";

/** What the worker thread sends back: a record, or the code and message of the error it met. */
export type ExtractReply = { ok: true; record: ArticleRecord } | { ok: false; code: string; message: string };

export interface ExtractPool {
  extract(input: ParsePageInput): Promise<ArticleRecord>;
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
  /** Worker module; the default is extract-worker next to this file. Tests pass a lighter one. */
  workerUrl?: URL;
}

/** The default worker: extract-worker.ts under tsx and vitest, extract-worker.js from dist. */
export function defaultExtractWorkerUrl(): URL {
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./extract-worker${extension}`, import.meta.url);
}

/**
 * Worker threads start with a bare module loader: a .ts worker needs tsx's loader registered in the
 * thread itself (the parent's --import is not enough under vitest, which does not use it). The
 * loader is resolved from this package, so it works whatever the current directory is.
 */
export function execArgvFor(workerUrl: URL): string[] {
  if (!workerUrl.pathname.endsWith(".ts")) return [];
  const loader = createRequire(import.meta.url).resolve("tsx");
  return ["--import", pathToFileURL(loader).href];
}

/**
 * Old-generation heap of one extraction thread, in MiB. parsePage's live heap stays near 55 MiB
 * over the whole benchmark corpus (measured after GC); the cap keeps V8 from growing a lazy heap
 * far past that, which is what keeps worker RSS flat. bench:quality runs copydesk with it too.
 */
export const EXTRACTION_HEAP_MB = 192;

export function resolveThreads(threads: number): number {
  return threads > 0 ? threads : Math.max(1, availableParallelism() - 1);
}

export function createExtractPool(options: ExtractPoolOptions): ExtractPool {
  const workerUrl = options.workerUrl ?? defaultExtractWorkerUrl();
  const threads = resolveThreads(options.threads);
  const pool = new Piscina({
    filename: fileURLToPath(workerUrl),
    minThreads: threads,
    maxThreads: threads,
    execArgv: execArgvFor(workerUrl),
    resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? EXTRACTION_HEAP_MB },
    // Long-lived workers: a fresh thread per page would pay DOM library start-up every time.
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  return {
    threads,
    async extract(input) {
      const reply = (await pool.run(input)) as ExtractReply;
      if (reply.ok) return reply.record;
      const code: ErrorCode = reply.code in ERROR_CODES ? (reply.code as ErrorCode) : "EXTRACT_FAILED";
      throw new CopydeskError(code, reply.message, { details: { url: input.url } });
    },
    close: () => pool.close({ force: false }),
  };
}
