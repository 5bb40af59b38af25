import type { BackoffStrategy } from "bullmq";
import { isCopydeskError } from "../domain/errors.js";

/** The name article jobs give their backoff, resolved by the workers' `backoffStrategy`. */
export const BACKOFF_TYPE = "copydesk";

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0..1, for tests; defaults to Math.random. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 2000, maxMs: 10 * 60_000 };

/**
 * Exponential backoff with "equal jitter" (half fixed, half random, so retries of a burst spread out
 * but never come back sooner than half the nominal delay). When the error carries a Retry-After from
 * the server, that wins: it is a floor, with a little jitter on top so workers do not return at once.
 */
export function retryDelayMs(
  attemptsMade: number,
  error: unknown,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const random = options.random ?? Math.random;
  const nominal = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(nominal / 2 + random() * (nominal / 2));
  if (isCopydeskError(error) && error.retryAfterMs !== undefined) {
    return Math.round(error.retryAfterMs + random() * Math.min(1000, error.retryAfterMs * 0.1));
  }
  return jittered;
}

export function backoffStrategy(options: BackoffOptions = DEFAULT_BACKOFF): BackoffStrategy {
  return (attemptsMade, _type, error) => retryDelayMs(attemptsMade, error, options);
}
