import { describe, expect, it } from "vitest";
import {
  type DiffSegment,
  diffParagraphs,
  diffWords,
  elideUnchanged,
} from "../../src/api/reader/text-diff.js";
import { fillerText } from "../support/records.js";

function oldSide(segments: DiffSegment[]): string {
  return segments
    .filter((s) => s.op !== "insert")
    .map((s) => s.text)
    .join("");
}

function newSide(segments: DiffSegment[]): string {
  return segments
    .filter((s) => s.op !== "delete")
    .map((s) => s.text)
    .join("");
}

/** Paragraphs are compared trimmed, joined by one blank line. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .join("\n\n");
}

describe("diffWords", () => {
  it("marks the words that changed and keeps the rest equal", () => {
    expect(diffWords("Troops advance on Kursk", "Troops retreat from Kursk")).toEqual([
      { op: "equal", text: "Troops " },
      { op: "delete", text: "advance on" },
      { op: "insert", text: "retreat from" },
      { op: "equal", text: " Kursk" },
    ]);
  });

  it("treats null as empty", () => {
    expect(diffWords(null, "A standfirst")).toEqual([{ op: "insert", text: "A standfirst" }]);
    expect(diffWords("Gone", null)).toEqual([{ op: "delete", text: "Gone" }]);
    expect(diffWords(null, null)).toEqual([]);
  });

  it("spells both versions exactly", () => {
    for (let seed = 1; seed < 40; seed++) {
      const before = fillerText(seed, 30);
      const words = before.split(" ");
      const after = [...words.slice(0, seed % 7), "inserted", ...words.slice((seed % 7) + 2), "end"].join(
        " ",
      );
      const segments = diffWords(before, after);
      expect(oldSide(segments)).toBe(before);
      expect(newSide(segments)).toBe(after);
    }
  });
});

describe("diffParagraphs", () => {
  it("shows an added paragraph as one insertion and an edited one word by word", () => {
    const before = "First paragraph stays.\n\nSecond one says the army advanced.\n\nThird stays too.";
    const after =
      "First paragraph stays.\n\nSecond one says the army withdrew.\n\nA new paragraph.\n\nThird stays too.";
    const segments = diffParagraphs(before, after);
    expect(segments.filter((s) => s.op === "delete").map((s) => s.text)).toEqual(["advanced."]);
    expect(segments.filter((s) => s.op === "insert").map((s) => s.text.trim())).toEqual([
      "withdrew.\n\nA new paragraph.",
    ]);
    expect(oldSide(segments)).toBe(before);
    expect(newSide(segments)).toBe(after);
  });

  it("gives up aligning a complete rewrite instead of searching quadratically", () => {
    const before = fillerText(1, 6000);
    const after = fillerText(2, 6000);
    const started = performance.now();
    const segments = diffParagraphs(before, after);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(oldSide(segments)).toBe(paragraphs(before));
    expect(newSide(segments)).toBe(paragraphs(after));
  });
});

describe("elideUnchanged", () => {
  it("keeps the context next to a change and cuts the middle of a long unchanged stretch", () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
    const segments = elideUnchanged(
      [
        { op: "insert", text: "New" },
        { op: "equal", text: ` ${long} ` },
        { op: "delete", text: "Old" },
      ],
      40,
    );
    const middle = segments[1]?.text ?? "";
    expect(middle).toContain(" … ");
    expect(middle.startsWith(" word0 word1")).toBe(true);
    expect(middle.endsWith("word198 word199 ")).toBe(true);
    expect(middle.length).toBeLessThan(120);
  });

  it("leaves short stretches alone", () => {
    const segments: DiffSegment[] = [
      { op: "equal", text: "short " },
      { op: "insert", text: "x" },
    ];
    expect(elideUnchanged(segments)).toEqual(segments);
  });
});
