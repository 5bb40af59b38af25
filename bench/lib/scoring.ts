import { randomIndex, seededRandom } from "./seeded-random.js";
import { mean, sampleStd } from "./stats.js";

/**
 * Body-text scoring of the ScrapingHub article-extraction benchmark (its `evaluate.py`, as described in
 * ../shared/corpus/README.md), so our figures can be set beside the published ones.
 */

/**
 * Python's `re.findall(r'\w+')` on a str. CPython's `\w` is `str.isalnum() or '_'`: the letter
 * categories (Lu Ll Lt Lm Lo), the number categories (Nd Nl No) and the underscore only — no other
 * connector punctuation and no combining marks (Mn, Mc), so "हिन्दी" splits at its virama just as it does
 * in Python. Checked over every code point against Python 3.11 (Unicode 14): identical, except that
 * Node's newer Unicode also counts letters assigned after Unicode 14.
 */
const WORD_RUN = /[\p{L}\p{N}_]+/gu;

export const SHINGLE_SIZE = 4;

export function tokenize(text: string): string[] {
  return text.match(WORD_RUN) ?? [];
}

/**
 * Overlapping n-token shingles counted with repeats. A text shorter than n tokens gives one shorter
 * shingle; a text without tokens gives none.
 */
export function countShingles(tokens: readonly string[], size = SHINGLE_SIZE): Map<string, number> {
  const counts = new Map<string, number>();
  const last = Math.max(1, tokens.length - size + 1);
  for (let start = 0; start < last; start++) {
    const shingle = tokens.slice(start, start + size);
    if (shingle.length === 0) continue;
    // Tokens never contain a space, so joining with one keeps distinct shingles distinct.
    const key = shingle.join(" ");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** One page's shingle overlap, normalised so TP + FP + FN = 1 (or all 0 when both texts are empty). */
export interface PageScore {
  tp: number;
  fp: number;
  fn: number;
  /** The token lists are identical (what accuracy counts). */
  exact: boolean;
}

export function scorePage(truth: string, prediction: string): PageScore {
  const truthTokens = tokenize(truth);
  const predictionTokens = tokenize(prediction);
  const truthShingles = countShingles(truthTokens);
  const predictionShingles = countShingles(predictionTokens);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [key, truthCount] of truthShingles) {
    const predictionCount = predictionShingles.get(key) ?? 0;
    tp += Math.min(truthCount, predictionCount);
    fn += Math.max(0, truthCount - predictionCount);
  }
  for (const [key, predictionCount] of predictionShingles) {
    fp += Math.max(0, predictionCount - (truthShingles.get(key) ?? 0));
  }
  const total = tp + fp + fn;
  // Normalised so a long article weighs no more than a short one.
  if (total > 0) {
    tp /= total;
    fp /= total;
    fn /= total;
  }
  return { tp, fp, fn, exact: sameTokens(truthTokens, predictionTokens) };
}

function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((token, i) => token === b[i]);
}

export function pagePrecision({ tp, fp, fn }: PageScore): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fp === 0) return 0;
  return tp / (tp + fp);
}

export function pageRecall({ tp, fp, fn }: PageScore): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fn === 0) return 0;
  return tp / (tp + fn);
}

/** Per-page F1, for ranking pages; the benchmark's F1 is taken from the means, not from these. */
export function pageF1(score: PageScore): number {
  const precision = pagePrecision(score);
  const recall = pageRecall(score);
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

export interface QualityMetrics {
  f1: number;
  precision: number;
  recall: number;
  accuracy: number;
}

/**
 * Precision is averaged over pages with a non-empty prediction and recall over pages with a non-empty
 * truth, so an empty prediction costs recall only. A mean over no pages is 0 here (evaluate.py would
 * raise): an extractor that returns nothing at all scores nothing.
 */
export function summarise(pages: readonly PageScore[]): QualityMetrics {
  const precision = mean(pages.filter((p) => p.tp + p.fp > 0).map(pagePrecision));
  const recall = mean(pages.filter((p) => p.tp + p.fn > 0).map(pageRecall));
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const accuracy = mean(pages.map((p) => (p.exact ? 1 : 0)));
  return { f1, precision, recall, accuracy };
}

export interface BootstrapOptions {
  resamples: number;
  seed: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, seed: 20_191_119 };

/**
 * Sample standard deviation (n − 1, as Python's `statistics.stdev`) of each metric over bootstrap
 * resamples of the pages. The seed fixes the resamples, so two extractors scored on the same pages are
 * resampled identically.
 */
export function bootstrapStd(
  pages: readonly PageScore[],
  { resamples, seed }: BootstrapOptions = DEFAULT_BOOTSTRAP,
): QualityMetrics {
  const random = seededRandom(seed);
  const samples: QualityMetrics[] = [];
  for (let r = 0; r < resamples; r++) {
    const resample = pages.map(() => pages[randomIndex(random, pages.length)] as PageScore);
    samples.push(summarise(resample));
  }
  return {
    f1: sampleStd(samples.map((s) => s.f1)),
    precision: sampleStd(samples.map((s) => s.precision)),
    recall: sampleStd(samples.map((s) => s.recall)),
    accuracy: sampleStd(samples.map((s) => s.accuracy)),
  };
}
