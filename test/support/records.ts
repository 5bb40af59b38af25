import {
  type ArticleRecord,
  ArticleRecordSchema,
  contentHashOf,
  EXTRACTOR_NAME,
  EXTRACTOR_VERSION,
} from "../../src/domain/article.js";
import { articleIdFor, canonicalizeUrl } from "../../src/domain/url.js";

export type RecordOverrides = Partial<Omit<ArticleRecord, "body">> & {
  body?: string | ArticleRecord["body"];
};

/** Paragraphs of filler text that differ per seed, for bodies that must not look alike. */
export function fillerText(seed: number, words = 120): string {
  const out: string[] = [];
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < words; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out.push(`w${(state % 50_000).toString(36)}`);
    if (i % 40 === 39) out.push("\n\n");
  }
  return out.join(" ").replace(/ \n\n /g, "\n\n");
}

/**
 * A valid ArticleRecord (checked with ArticleRecordSchema) for `url`, with overrides. The id and
 * contentHash follow the url and the revision fields unless overridden; `body` may be given as text.
 */
export function makeRecord(url: string, overrides: RecordOverrides = {}): ArticleRecord {
  const canonical = canonicalizeUrl(overrides.url ?? url);
  const { body: bodyOverride, ...rest } = overrides;
  const text =
    typeof bodyOverride === "string" ? bodyOverride : (bodyOverride?.text ?? `Body of ${canonical}.`);
  const html =
    typeof bodyOverride === "object"
      ? bodyOverride.html
      : text
          .split(/\n\n+/)
          .map((p) => `<p>${p}</p>`)
          .join("");
  const base: ArticleRecord = {
    id: articleIdFor(canonical),
    url: canonical,
    requestedUrl: canonical,
    finalUrl: canonical,
    title: `Title of ${canonical}`,
    standfirst: null,
    byline: "By Jane Doe",
    authors: ["Jane Doe"],
    publishedAt: "2024-05-01T08:00:00.000Z",
    publishedAtRaw: "May 1, 2024",
    modifiedAt: null,
    modifiedAtRaw: null,
    publisher: "Example News",
    section: "World",
    tags: [],
    language: "en",
    direction: "ltr",
    body: { html, text },
    wordCount: text.split(/\s+/).filter(Boolean).length,
    images: [],
    provenance: [],
    paywall: { accessibleForFree: null, truncated: false },
    contentHash: "",
    extractor: { name: EXTRACTOR_NAME, version: EXTRACTOR_VERSION, rule: null },
    fetchedAt: "2024-05-01T09:00:00.000Z",
    extractedAt: "2024-05-01T09:00:01.000Z",
    missing: [],
    warnings: [],
    ...rest,
    ...(overrides.url ? { url: canonical } : {}),
  };
  const record = { ...base, contentHash: overrides.contentHash ?? contentHashOf(base) };
  return ArticleRecordSchema.parse(record);
}
