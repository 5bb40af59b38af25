/**
 * Milliseconds to wait from a Retry-After header: delta-seconds ("120") or an HTTP date. Null when
 * the header is missing or unreadable; never negative, never above `capMs` (a server asking for a
 * week is treated as asking for the cap: the job is retried, not parked forever).
 */
export function parseRetryAfter(
  value: string | null | undefined,
  capMs: number,
  now = Date.now(),
): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === "") return null;
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.min(Math.max(0, ms), capMs);
}
