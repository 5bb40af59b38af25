import { CopydeskError } from "../domain/errors.js";

/**
 * List cursors: the (updatedAt, id) of the last row a page returned, as an opaque base64url string.
 * updatedAt is kept in microseconds (the store's change clock), so the key is exact on both backends.
 */
export interface CursorKey {
  updatedUs: number;
  id: string;
}

const CURSOR_TEXT = /^(\d{1,16})\|([A-Za-z0-9_-]{1,100})$/;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(`${key.updatedUs}|${key.id}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): CursorKey {
  return changeKey(cursor, CURSOR_TEXT, "malformed cursor: pass back nextCursor exactly as returned");
}

/** The (updatedUs, id) of a change-order cursor of either direction. */
function changeKey(cursor: string, form: RegExp, message: string): CursorKey {
  const match = cursorMatch(cursor, form, message);
  return { updatedUs: Number(match[1]), id: match[2] as string };
}

/**
 * A newest-first cursor: the same key, marked so that a cursor of one direction is never read as
 * the other's (a change cursor passed to a newest-first list would otherwise page backwards).
 */
const NEWEST_CURSOR_TEXT = /^n\|(\d{1,16})\|([A-Za-z0-9_-]{1,100})$/;

export function encodeNewestCursor(key: CursorKey): string {
  return Buffer.from(`n|${key.updatedUs}|${key.id}`, "utf8").toString("base64url");
}

export function decodeNewestCursor(cursor: string): CursorKey {
  return changeKey(
    cursor,
    NEWEST_CURSOR_TEXT,
    "malformed cursor: pass back nextCursor exactly as returned, with the same order",
  );
}

/** A relevance cursor: the (rank, id) of the last row of a ranked page, best match first. */
export interface RankCursorKey {
  rank: number;
  id: string;
}

const RANK_CURSOR_TEXT = /^r\|(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\|([A-Za-z0-9_-]{1,100})$/;

export function encodeRankCursor(key: RankCursorKey): string {
  return Buffer.from(`r|${key.rank}|${key.id}`, "utf8").toString("base64url");
}

export function decodeRankCursor(cursor: string): RankCursorKey {
  const message = "malformed cursor: pass back nextCursor exactly as returned, with the same q and order";
  const match = cursorMatch(cursor, RANK_CURSOR_TEXT, message);
  const rank = Number(match[1]);
  if (!Number.isFinite(rank)) throw badCursor(cursor, message);
  return { rank, id: match[2] as string };
}

/** A cursor's text matched against its form, or STORE_BAD_CURSOR: cursors are opaque to callers. */
function cursorMatch(cursor: string, form: RegExp, message: string): RegExpExecArray {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  const match = form.exec(text);
  if (!match) throw badCursor(cursor, message);
  return match;
}

function badCursor(cursor: string, message: string): CopydeskError {
  return new CopydeskError("STORE_BAD_CURSOR", message, { details: { cursor: cursor.slice(0, 200) } });
}

/** An ISO-8601 date or instant as microseconds since the epoch; INPUT_INVALID otherwise. */
export function instantToUs(value: string, what = "since"): number {
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new CopydeskError(
      "INPUT_INVALID",
      `${what} must be an ISO-8601 date or instant, got ${JSON.stringify(value)}`,
    );
  }
  return ms * 1000;
}

export function usToIso(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}

/** An ISO-8601 date or instant normalised to the store's text form (toISOString), for comparisons. */
export function normalizeInstant(value: string, what = "since"): string {
  return usToIso(instantToUs(value, what));
}
