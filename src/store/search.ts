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
