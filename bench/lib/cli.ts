import { CorpusMissingError } from "./corpus.js";

/** Thrown for a bad command line; the message is shown with the usage text. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

function isUsageError(error: unknown): error is Error {
  if (error instanceof UsageError) return true;
  // node:util parseArgs rejects unknown or malformed options with these codes.
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

/**
 * Runs a benchmark's main: an absent corpus is a clean skip (exit 0 with a message), a bad command
 * line prints the usage (exit 2), anything else is a failure (exit 1).
 */
export function runBenchmark(name: string, usage: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof CorpusMissingError) {
        process.stderr.write(`${name}: corpus not found (${error.message}); give --corpus <dir>. Skipped.\n`);
        process.exitCode = 0;
      } else if (isUsageError(error)) {
        process.stderr.write(`${name}: ${error.message}\n${usage}`);
        process.exitCode = 2;
      } else {
        process.stderr.write(
          `${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        process.exitCode = 1;
      }
    },
  );
}

export function parseCount(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new UsageError(`--${option} wants a whole number, got "${value}"`);
  }
  return parsed;
}

/** Fixed decimals, or "n/a" for a figure that could not be computed. */
export function formatNumber(value: number, digits = 3): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.split("\n")[0] ?? error.name;
  return String(error);
}
