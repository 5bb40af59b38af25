import { describe, expect, it } from "vitest";
import { countWords } from "../../src/parsers/engine/text.js";

describe("countWords", () => {
  const cases: [string, number][] = [
    ["", 0],
    ["   ", 0],
    ["one", 1],
    ["one two  three\nfour\tfive", 5],
    // Apostrophes, underscores and hyphens join a word; they do not start one.
    ["don't re-enter snake_case O’Brien", 4],
    ["' - _ ’", 0],
    ["-abc- 'x'", 2],
    ["£100, 5.5% and #7", 5],
    // Letters and digits of any script; combining marks belong to their letter.
    ["Grüße aus Köln", 3],
    ["e\u0301le\u0300ve", 1],
    ["привет мир", 2],
    ["기사입력 2018-09-28", 2], // a date with hyphens is one word
    ["日本語テキスト", 1],
    ["１２ ３", 2],
    // A letter beyond the Basic Multilingual Plane is one letter, not two halves.
    ["𠀀𠀁 x", 2],
    ["a\ud800b", 2],
  ];
  for (const [text, words] of cases) {
    it(`counts ${words} in ${JSON.stringify(text)}`, () => {
      expect(countWords(text)).toBe(words);
    });
  }
});
