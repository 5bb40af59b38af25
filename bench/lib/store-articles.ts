import { type ArticleRecord, EXTRACTOR_NAME, EXTRACTOR_VERSION } from "../../src/domain/article.js";
import { articleIdFor, sha256Hex } from "../../src/domain/url.js";
import { fmix32 } from "../../src/store/near-duplicate.js";

/** The synthetic articles of bench:store: the same on every run, for both backends. */
export const SITES = Array.from({ length: 40 }, (_, i) => `site${i}.example`);
export const LANGUAGES = ["en", "en-AU", "de", "fr", "ja"];
export const WORDS_PER_ARTICLE = 250;

/**
 * Word w of article i, the same on every run. A hash of (i, w) rather than one PRNG stream per
 * article: seeded streams of one generator are windows on the same cycle, and at 100k articles
 * hundreds of them overlap, which the store rightly links as near-duplicates.
 */
export function wordAt(i: number, w: number): number {
  return fmix32(Math.imul(i + 1, 0x9e3779b1) ^ fmix32(w + 0x632be5ab));
}

export const VOCABULARY = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}`);

/** Word w of article i as text. */
export function wordTextAt(i: number, w: number): string {
  return VOCABULARY[wordAt(i, w) % VOCABULARY.length] as string;
}

/** Synthetic article i: ~250 words, one of 40 sites, 5 languages, 10% paywalled, 5% syndicated copies. */
export function syntheticRecord(i: number): ArticleRecord {
  const words: string[] = [];
  for (let w = 0; w < WORDS_PER_ARTICLE; w++) words.push(wordTextAt(i, w));
  const text = `${words.slice(0, 120).join(" ")}\n\n${words.slice(120).join(" ")}`;
  const site = SITES[i % SITES.length] as string;
  const url = `https://${site}/news/${i}`;
  // Every 20th article is a syndicated copy of the one before it (on another site): 5% of stories merge.
  const syndicatedFrom = i % 20 === 19 ? `https://${SITES[(i - 1) % SITES.length]}/news/${i - 1}` : null;
  return {
    id: articleIdFor(url),
    url,
    requestedUrl: url,
    finalUrl: url,
    title: `Story ${i} ${words[0]} ${words[1]} ${words[2]}`,
    standfirst: null,
    byline: "By Bench Mark",
    authors: ["Bench Mark"],
    publishedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    publishedAtRaw: null,
    modifiedAt: null,
    modifiedAtRaw: null,
    publisher: site,
    section: "News",
    tags: [],
    language: LANGUAGES[i % LANGUAGES.length] as string,
    direction: "ltr",
    body: { html: `<p>${text.replace("\n\n", "</p><p>")}</p>`, text },
    wordCount: words.length,
    images: [],
    provenance: syndicatedFrom
      ? [{ role: "origin", name: null, url: syndicatedFrom, evidence: ["original-url-line"] }]
      : [],
    paywall: { accessibleForFree: i % 10 === 0 ? false : null, truncated: false },
    contentHash: sha256Hex(`${i}:${text}`),
    extractor: { name: EXTRACTOR_NAME, version: EXTRACTOR_VERSION, rule: null },
    fetchedAt: "2024-06-01T00:00:00.000Z",
    extractedAt: "2024-06-01T00:00:01.000Z",
    missing: [],
    warnings: [],
  };
}
