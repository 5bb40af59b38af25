import { describe, expect, it } from "vitest";
import { randomIndex, seededRandom } from "../../bench/lib/seeded-random.js";
import { mean, percentile, sampleStd } from "../../bench/lib/stats.js";

describe("stats", () => {
  it("takes the sample standard deviation (n − 1)", () => {
    // Squared deviations from the mean 5 sum to 32; 32 / 7.
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sampleStd([3])).toBe(0);
  });

  it("interpolates percentiles between ranks", () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([10, 20, 30], 0)).toBe(10);
    expect(percentile([10, 20, 30], 100)).toBe(30);
    // rank 0.95 × 19 = 18.05 between the 19th (19) and 20th (20) values
    const oneToTwenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(oneToTwenty, 95)).toBeCloseTo(19.05, 12);
    expect(percentile([], 50)).toBe(0);
  });

  it("averages", () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(mean([])).toBe(0);
  });
});

describe("seededRandom", () => {
  it("repeats for a seed and stays in [0, 1)", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const values = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(values);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(seededRandom(43)()).not.toBe(values[0]);
  });

  it("draws every index of a small range", () => {
    const random = seededRandom(1);
    const seen = new Set(Array.from({ length: 200 }, () => randomIndex(random, 5)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
