import { describe, expect, it } from "vitest";
import { type Labels, labelMatches, namesInByline, timeMatches } from "../../bench/lib/labelled-metadata.js";

const labels: Labels = {
  title: "Dam opens",
  authors: ["Ann Lee", "Tom Cruz"],
  published: "2019-11-19T13:03:00Z",
  modified: null,
  publisher: "Example News",
  language: "en",
};

describe("labelled metadata rules", () => {
  it("a zoned label names an instant, to the second", () => {
    expect(timeMatches("2019-11-19T13:03:00Z", { instant: "2019-11-19T13:03:00.400Z", raw: null })).toBe(
      true,
    );
    expect(timeMatches("2019-11-19T08:03:00-05:00", { instant: "2019-11-19T13:03:00.000Z", raw: null })).toBe(
      true,
    );
    expect(timeMatches("2019-11-19T13:03:00Z", { instant: "2019-11-19T14:03:00.000Z", raw: null })).toBe(
      false,
    );
  });

  it("a label without a zone is met by the page's own local time; a date by the day", () => {
    const value = { instant: "2024-04-26T20:44:00.000Z", raw: "2024-04-26 20:44" };
    expect(timeMatches("2024-04-26T20:44", value)).toBe(true);
    expect(timeMatches("2024-04-26T18:44", value)).toBe(false);
    expect(timeMatches("2024-04-26", { instant: "2024-04-26T09:00:00.000Z", raw: "April 26, 2024" })).toBe(
      true,
    );
    expect(timeMatches(null, { instant: null, raw: null })).toBe(true);
    expect(timeMatches(null, { instant: "2024-04-26T09:00:00.000Z", raw: null })).toBe(false);
  });

  it("authors match as an ordered list; a field an extractor does not report is not scored", () => {
    const values = {
      title: " dam  OPENS ",
      authors: ["ann lee", "Tom Cruz"],
      published: null,
      modified: null,
      publisher: "Example News",
      language: "en-GB",
    };
    expect(labelMatches("title", labels, values)).toBe(true);
    expect(labelMatches("authors", labels, values)).toBe(true);
    expect(labelMatches("authors", labels, { ...values, authors: ["Tom Cruz", "Ann Lee"] })).toBe(false);
    expect(labelMatches("published", labels, values)).toBeNull();
    expect(labelMatches("language", labels, values)).toBe(true);
  });

  it("reads a byline string as names", () => {
    expect(namesInByline("By Ann Lee, Tom Cruz and Maria Ortiz")).toEqual([
      "Ann Lee",
      "Tom Cruz",
      "Maria Ortiz",
    ]);
    expect(namesInByline(null)).toEqual([]);
  });
});
