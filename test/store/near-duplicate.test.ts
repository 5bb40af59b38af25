import { describe, expect, it } from "vitest";
import {
  bodySketch,
  containment,
  decodeHashes,
  encodeHashes,
  lshBandKeys,
  MIN_SHINGLES,
  NEAR_DUPLICATE_THRESHOLD,
  textContainment,
  words,
} from "../../src/store/near-duplicate.js";
import { fillerText } from "../support/records.js";
import { changeWords, cutLastParagraph, loadCorpus, measureNearDuplicates, nearCopy } from "./corpus.js";

/** How far from the threshold the measured figures must stay, so noise in new data has room. */
const MARGIN = 0.15;

describe("near-duplicate sketches", () => {
  it("splits words across scripts and punctuation, lower-cased", () => {
    expect(words("Ukraine’s Kursk-incursion, 2024: «Ça va»")).toEqual([
      "ukraine’s",
      "kursk",
      "incursion",
      "2024",
      "ça",
      "va",
    ]);
  });

  it("gives no sketch for a body too short to link by text", () => {
    expect(bodySketch("Too short to tell a copy from a quote.")).toBeNull();
    expect(bodySketch(fillerText(1, MIN_SHINGLES + 3))).not.toBeNull();
  });

  it("scores exact containment of the shorter body, whatever the copy adds around it", () => {
    const text = fillerText(3, 400);
    expect(textContainment(text, text)).toBe(1);
    expect(textContainment(text, `${fillerText(4, 400)}\n\n${text}`)).toBe(1);
    expect(textContainment(text, fillerText(5, 400))).toBeLessThan(0.01);
    const a = bodySketch(text);
    const b = bodySketch(cutLastParagraph(changeWords(text, 3)));
    expect(a && b && containment(a.shingles, b.shingles)).toBeGreaterThan(0.9);
  });

  it("reads hashes back the same", () => {
    const sketch = bodySketch(fillerText(6, 200));
    expect(sketch).not.toBeNull();
    const shingles = sketch?.shingles as Uint32Array;
    expect(decodeHashes(encodeHashes(shingles))).toEqual(shingles);
    expect(lshBandKeys(sketch?.signature as Uint32Array).every((key) => Number.isSafeInteger(key))).toBe(
      true,
    );
  });

  it("keeps the threshold clear of different corpus articles and of their near-copies", (context) => {
    const corpus = loadCorpus();
    if (!corpus) {
      context.skip();
      return;
    }
    const figures = measureNearDuplicates(corpus);
    expect(figures.articles).toBe(119);
    expect(figures.maxDifferent).toBeLessThan(NEAR_DUPLICATE_THRESHOLD - MARGIN);
    expect(figures.maxCopyVsOther).toBeLessThan(NEAR_DUPLICATE_THRESHOLD - MARGIN);
    expect(figures.minCopy).toBeGreaterThan(NEAR_DUPLICATE_THRESHOLD + MARGIN);
    expect(figures.lshMisses).toBe(0);
  });

  it("catches a copy with a header, footer and changed words in a synthetic story", () => {
    const text = fillerText(9, 250);
    const a = bodySketch(text);
    const b = bodySketch(nearCopy(text));
    expect(a && b && containment(a.shingles, b.shingles)).toBeGreaterThan(NEAR_DUPLICATE_THRESHOLD + MARGIN);
  });
});
