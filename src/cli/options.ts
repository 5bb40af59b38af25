import { availableParallelism } from "node:os";
import { CopydeskError } from "../domain/errors.js";
import type { DomEngine } from "../parsers/engine/dom.js";

// Options that extract and ingest share, checked before anything heavy is loaded.

/** The DOM engines `--engine` takes. */
export function checkEngine(engine: string): DomEngine {
  if (engine !== "tree" && engine !== "jsdom") {
    throw new CopydeskError("INPUT_INVALID", `--engine must be tree or jsdom, got ${engine}`);
  }
  return engine;
}

/** --threads: a whole number of threads, one per CPU by default (the main thread mostly waits). */
export function threadsOption(value: string | undefined): number {
  if (value === undefined) return availableParallelism();
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new CopydeskError("INPUT_INVALID", `--threads must be a whole number from 1 to 256, got ${value}`);
  }
  return threads;
}
