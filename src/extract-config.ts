import { CopydeskError } from "./domain/errors.js";

/**
 * Per-page time limit, the default of COPYDESK_EXTRACT_TIMEOUT_MS. The slowest page of the
 * benchmark corpora takes under a second on the default tree (3.3 s on jsdom, docs/BENCHMARKS.md); a page
 * still running after five is pathological (a pattern or DOM walk gone quadratic) and would only
 * hold its thread.
 */
export const EXTRACT_TIMEOUT_MS = 5000;

/**
 * Old-generation heap of one extraction thread, in MiB. parsePage's live heap stays near 20 MiB
 * over the whole benchmark corpus (measured after GC); the cap keeps V8 from growing a lazy heap
 * far past that, which is what keeps worker RSS flat. bench:quality runs copydesk with it too.
 */
export const EXTRACTION_HEAP_MB = 192;

/**
 * The one setting the one-shot `extract` and `batch` commands read, without config.ts's zod
 * schema: importing zod costs about 0.13 s of CPU, half the start-up budget of a command that
 * runs once per page in shell loops. config.ts reads the same variable through this function, so
 * the rule and the error are one.
 */
export function loadExtractTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.COPYDESK_EXTRACT_TIMEOUT_MS?.trim();
  if (raw === undefined || raw === "") return EXTRACT_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new CopydeskError(
      "CONFIG_INVALID",
      `invalid environment: COPYDESK_EXTRACT_TIMEOUT_MS: expected a positive whole number of milliseconds, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
