import { describe, expect, it } from "vitest";
import {
  bootstrapStd,
  countShingles,
  type PageScore,
  pageF1,
  pagePrecision,
  pageRecall,
  scorePage,
  summarise,
  tokenize,
} from "../../bench/lib/scoring.js";

// Expected values below are worked out by hand from the rules in ../shared/corpus/README.md; the
// tokenizer cases were checked against Python 3.11's re.findall(r"\w+", text).

describe("tokenize", () => {
  it("splits on everything but letters, digits and the underscore", () => {
    expect(tokenize("Hello, world! It's 2019_x")).toEqual(["Hello", "world", "It", "s", "2019_x"]);
    expect(tokenize("Ünïcödé—dash under_score")).toEqual(["Ünïcödé", "dash", "under_score"]);
  });

  it("keeps precomposed letters but, like Python, splits at combining marks", () => {
    expect(tokenize("naïve café")).toEqual(["naïve", "café"]);
    expect(tokenize("cafe\u0301 bar")).toEqual(["cafe", "bar"]);
    // ह ि न ् द ी: the vowel signs and the virama are marks, not word characters.
    expect(tokenize("हिन्दी")).toEqual(["ह", "न", "द"]);
  });

  it("counts every kind of number but no connector punctuation other than _", () => {
    expect(tokenize("a\u203fb ½ Ⅻ ٣٤")).toEqual(["a", "b", "½", "Ⅻ", "٣٤"]);
  });

  it("gives nothing for empty or punctuation-only text", () => {
    expect(tokenize("")).toEqual([]);
    expect(tokenize(" ... — !")).toEqual([]);
  });
});

describe("countShingles", () => {
  it("makes overlapping 4-token shingles", () => {
    expect(countShingles(["a", "b", "c", "d", "e"])).toEqual(
      new Map([
        ["a b c d", 1],
        ["b c d e", 1],
      ]),
    );
  });

  it("counts repeated shingles", () => {
    expect(countShingles("a b c d a b c d".split(" "))).toEqual(
      new Map([
        ["a b c d", 2],
        ["b c d a", 1],
        ["c d a b", 1],
        ["d a b c", 1],
      ]),
    );
  });

  it("makes one shorter shingle from fewer than 4 tokens, and none from no tokens", () => {
    expect(countShingles(["a", "b"])).toEqual(new Map([["a b", 1]]));
    expect(countShingles(["a", "b", "c", "d"])).toEqual(new Map([["a b c d", 1]]));
    expect(countShingles([])).toEqual(new Map());
  });
});

describe("scorePage", () => {
  it("scores an identical text as all true positives", () => {
    const score = scorePage("One two three four five.", "One, two; three four five");
    expect(score).toEqual({ tp: 1, fp: 0, fn: 0, exact: true });
    expect(pagePrecision(score)).toBe(1);
    expect(pageRecall(score)).toBe(1);
  });

  it("normalises a missing tail: 1 of 2 true shingles found", () => {
    // truth {abcd, bcde}, prediction {abcd}
    const score = scorePage("a b c d e", "a b c d");
    expect(score).toEqual({ tp: 0.5, fp: 0, fn: 0.5, exact: false });
    expect(pagePrecision(score)).toBe(1);
    expect(pageRecall(score)).toBe(0.5);
    expect(pageF1(score)).toBeCloseTo(2 / 3, 12);
  });

  it("counts boilerplate as false positives", () => {
    // truth {abcd}, prediction {abcd, bcdx, cdxy}
    const score = scorePage("a b c d", "a b c d x y");
    expect(score.tp).toBeCloseTo(1 / 3, 12);
    expect(score.fp).toBeCloseTo(2 / 3, 12);
    expect(score.fn).toBe(0);
    expect(pagePrecision(score)).toBeCloseTo(1 / 3, 12);
    expect(pageRecall(score)).toBe(1);
  });

  it("counts a shingle that repeats in the truth as often as it repeats", () => {
    // truth: abcd ×2, bcda, cdab, dabc (5 shingles); prediction: abcd ×1
    const score = scorePage("a b c d a b c d", "a b c d");
    expect(score.tp).toBeCloseTo(0.2, 12);
    expect(score.fn).toBeCloseTo(0.8, 12);
    expect(score.fp).toBe(0);
  });

  it("compares short texts as one shingle each", () => {
    // truth {"one two"}, prediction {"one two three"}: no shingle in common.
    const score = scorePage("one two", "one two three");
    expect(score).toEqual({ tp: 0, fp: 0.5, fn: 0.5, exact: false });
    expect(pagePrecision(score)).toBe(0);
    expect(pageRecall(score)).toBe(0);
    expect(pageF1(score)).toBe(0);
  });

  it("scores an empty prediction as all false negatives", () => {
    expect(scorePage("a b c d", "")).toEqual({ tp: 0, fp: 0, fn: 1, exact: false });
    expect(scorePage("a b c d", "— ...")).toEqual({ tp: 0, fp: 0, fn: 1, exact: false });
  });

  it("leaves two empty texts at zero, with equal (empty) token lists", () => {
    expect(scorePage("", "")).toEqual({ tp: 0, fp: 0, fn: 0, exact: true });
  });
});

describe("summarise", () => {
  const halfFound: PageScore = { tp: 0.5, fp: 0, fn: 0.5, exact: false }; // P 1, R 0.5
  const emptyPrediction: PageScore = { tp: 0, fp: 0, fn: 1, exact: false }; // R 0, no P
  const perfect: PageScore = { tp: 1, fp: 0, fn: 0, exact: true }; // P 1, R 1
  const bothEmpty: PageScore = { tp: 0, fp: 0, fn: 0, exact: true }; // neither P nor R
  const noisy: PageScore = { tp: 0.25, fp: 0.75, fn: 0, exact: false }; // P 0.25, R 1

  it("averages precision over non-empty predictions and recall over non-empty truths", () => {
    const metrics = summarise([halfFound, emptyPrediction, perfect, bothEmpty]);
    expect(metrics.precision).toBe(1); // (1 + 1) / 2
    expect(metrics.recall).toBeCloseTo(0.5, 12); // (0.5 + 0 + 1) / 3
    expect(metrics.f1).toBeCloseTo((2 * 1 * 0.5) / 1.5, 12);
    expect(metrics.accuracy).toBe(0.5); // perfect and bothEmpty
  });

  it("takes F1 from the mean precision and recall, not the mean of page F1s", () => {
    const metrics = summarise([halfFound, noisy]);
    expect(metrics.precision).toBeCloseTo(0.625, 12); // (1 + 0.25) / 2
    expect(metrics.recall).toBeCloseTo(0.75, 12); // (0.5 + 1) / 2
    expect(metrics.f1).toBeCloseTo((2 * 0.625 * 0.75) / 1.375, 12); // 0.6818…, mean of page F1s would be 0.5333…
    expect(metrics.accuracy).toBe(0);
  });

  it("scores an extractor that returns nothing at all as 0", () => {
    expect(summarise([emptyPrediction, emptyPrediction])).toEqual({
      f1: 0,
      precision: 0,
      recall: 0,
      accuracy: 0,
    });
  });
});

describe("bootstrapStd", () => {
  const pages: PageScore[] = [
    { tp: 1, fp: 0, fn: 0, exact: true },
    { tp: 0.5, fp: 0, fn: 0.5, exact: false },
    { tp: 0.25, fp: 0.75, fn: 0, exact: false },
    { tp: 0, fp: 0, fn: 1, exact: false },
  ];

  it("is zero when every page scores the same", () => {
    const same = Array.from({ length: 10 }, () => ({ tp: 0.5, fp: 0.25, fn: 0.25, exact: false }));
    const std = bootstrapStd(same, { resamples: 200, seed: 1 });
    for (const value of Object.values(std)) expect(value).toBeCloseTo(0, 12);
  });

  it("is repeatable for a seed and positive when pages differ", () => {
    const first = bootstrapStd(pages, { resamples: 500, seed: 7 });
    expect(bootstrapStd(pages, { resamples: 500, seed: 7 })).toEqual(first);
    expect(first.f1).toBeGreaterThan(0);
    expect(first.recall).toBeGreaterThan(0);
  });

  it("comes near the analytic standard error of accuracy", () => {
    // Accuracy is a mean of 0/1 values with p = 1/4 over n = 4 pages: sqrt(p(1-p)/n) ≈ 0.2165.
    const std = bootstrapStd(pages, { resamples: 4000, seed: 3 });
    expect(std.accuracy).toBeGreaterThan(0.19);
    expect(std.accuracy).toBeLessThan(0.24);
  });
});
