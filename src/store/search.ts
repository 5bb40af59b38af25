import { CopydeskError } from "../domain/errors.js";

/**
 * Full-text search terms, the same on both backends. The user's text is never handed to a query
 * parser: it is cut into words (runs of letters and digits, as both tokenizers cut them), and every
 * word must match, in any order, in the title, standfirst or body. Punctuation and operators
 * (`"`, `*`, `-`, `:`, parentheses) are separators; `OR`, `NEAR`, `AND`, `NOT` are plain words.
 */
export const MAX_SEARCH_WORDS = 16;

export function searchWords(q: string): string[] {
  const words = (
    q
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).slice(0, MAX_SEARCH_WORDS);
  return [...new Set(words)];
}

/** An FTS5 MATCH expression: each word a quoted string (so no FTS5 syntax survives), ANDed. */
export function fts5Match(words: readonly string[]): string {
  return words.map((word) => `"${word.replaceAll('"', '""')}"`).join(" AND ");
}

/**
 * PostgreSQL text search configurations a query is stemmed with when no language filter narrows it:
 * the ones `copydesk_regconfig` (migration 4) maps a record's language to, plus 'simple'. A query is
 * the OR of its stemming in each, so it finds a German article by German stems and an English one by
 * English stems. Keep in step with copydesk_regconfig.
 */
export const SEARCH_CONFIGS = [
  "simple",
  "danish",
  "dutch",
  "english",
  "finnish",
  "french",
  "german",
  "hungarian",
  "italian",
  "norwegian",
  "portuguese",
  "romanian",
  "russian",
  "spanish",
  "swedish",
  "turkish",
] as const;

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
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  const match = RANK_CURSOR_TEXT.exec(text);
  const rank = match ? Number(match[1]) : Number.NaN;
  if (!match || !Number.isFinite(rank)) {
    throw new CopydeskError(
      "STORE_BAD_CURSOR",
      "malformed cursor: pass back nextCursor exactly as returned, with the same q and order",
      { details: { cursor: cursor.slice(0, 200) } },
    );
  }
  return { rank, id: match[2] as string };
}
