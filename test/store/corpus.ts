import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  type BodySketch,
  bodySketch,
  containment,
  estimateJaccard,
  lshBandKeys,
} from "../../src/store/near-duplicate.js";

/**
 * The scrapinghub article-extraction corpus shared by the team (119 different real articles), read
 * in place and never copied into the repo. Null when it is not there, so tests can skip cleanly.
 */
export const CORPUS_GROUND_TRUTH = path.resolve(
  "..",
  "shared",
  "corpus",
  "scrapinghub-dev",
  "ground-truth.json",
);

export interface CorpusArticle {
  id: string;
  url: string;
  articleBody: string;
}

export function loadCorpus(): CorpusArticle[] | null {
  if (!existsSync(CORPUS_GROUND_TRUTH)) return null;
  const data = JSON.parse(readFileSync(CORPUS_GROUND_TRUTH, "utf8")) as Record<
    string,
    { articleBody: string; url: string }
  >;
  return Object.entries(data).map(([id, item]) => ({ id, url: item.url, articleBody: item.articleBody }));
}

/** An aggregator's chrome: 30 words before the story, 35 after. */
export const COPY_HEADER =
  "This article first appeared in The Wall Street Journal and is republished here with permission. Subscribe to our morning briefing for the day's top stories delivered to your inbox before breakfast.";
export const COPY_FOOTER =
  "Copyright 2024 Dow Jones & Company, Inc. All Rights Reserved. Read more from our business desk, follow us on social media and share your thoughts in the comments below. Advertising helps keep our journalism free.";

/** Replaces `count` words spread evenly through the text, keeping its whitespace. */
export function changeWords(text: string, count: number): string {
  const parts = text.split(/(\s+)/);
  const wordIndexes = parts.flatMap((part, i) => (/\S/.test(part) ? [i] : []));
  const step = Math.max(1, Math.floor(wordIndexes.length / (count + 1)));
  for (let k = 1; k <= count; k++) {
    const index = wordIndexes[k * step];
    if (index !== undefined) parts[index] = `edited${k}`;
  }
  return parts.join("");
}

/** Drops the last paragraph when there are more than three. */
export function cutLastParagraph(text: string): string {
  const paragraphs = text.split(/\n\n+/);
  return paragraphs.length > 3 ? paragraphs.slice(0, -1).join("\n\n") : text;
}

/** The near-copy the threshold must catch: the text with a header and footer added and 5 words changed. */
export function nearCopy(text: string, tag = ""): string {
  return `${COPY_HEADER} ${tag}\n\n${changeWords(text, 5)}\n\n${COPY_FOOTER}`;
}

export interface NearDuplicateFigures {
  articles: number;
  /** Highest containment between two different corpus articles (every pair, same site or not). */
  maxDifferent: number;
  /** Highest containment between a near-copy and another article's original. */
  maxCopyVsOther: number;
  /** Lowest containment of a near-copy against its own original. */
  minCopy: number;
  /** Lowest MinHash Jaccard estimate of a near-copy against its original (what LSH must reach). */
  minCopyJaccard: number;
  /** Near-copies whose original shares no LSH band with them (would never be a candidate). */
  lshMisses: number;
}

/** Measures the near-duplicate threshold's margins on the corpus and its near-copies. */
export function measureNearDuplicates(corpus: CorpusArticle[]): NearDuplicateFigures {
  const originals = corpus.map((item) => bodySketch(item.articleBody));
  const copies = corpus.map((item, i) => bodySketch(nearCopy(item.articleBody, `Copy ${i} from corpus.`)));
  let maxDifferent = 0;
  let maxCopyVsOther = 0;
  let minCopy = 1;
  let minCopyJaccard = 1;
  let lshMisses = 0;
  for (let i = 0; i < corpus.length; i++) {
    const original = originals[i];
    const copy = copies[i];
    if (!original || !copy) throw new Error(`corpus article ${i} is too short to sketch`);
    minCopy = Math.min(minCopy, containment(original.shingles, copy.shingles));
    minCopyJaccard = Math.min(minCopyJaccard, estimateJaccard(original.signature, copy.signature));
    const bands = new Set(lshBandKeys(original.signature));
    if (!lshBandKeys(copy.signature).some((key) => bands.has(key))) lshMisses++;
    for (let j = 0; j < corpus.length; j++) {
      const other = originals[j] as BodySketch;
      if (j === i) continue;
      if (j > i) maxDifferent = Math.max(maxDifferent, containment(original.shingles, other.shingles));
      maxCopyVsOther = Math.max(maxCopyVsOther, containment(copy.shingles, other.shingles));
    }
  }
  return { articles: corpus.length, maxDifferent, maxCopyVsOther, minCopy, minCopyJaccard, lshMisses };
}
