import { describe, expect, it } from "vitest";
import { cleanAuthorNames } from "../../src/parsers/generic/authors.js";

describe("cleanAuthorNames", () => {
  it("drops By, job titles, handles and e-mail addresses from a printed byline", () => {
    expect(
      cleanAuthorNames([
        "By Ana Silva, Senior Reporter, and Tom Lee | @tomlee | tom@example-news.com and Priya Natarajan, Data Editor",
      ]),
    ).toEqual(["Ana Silva", "Tom Lee", "Priya Natarajan"]);
  });

  it("splits names joined by 'and', '&' and commas, and in other languages", () => {
    expect(cleanAuthorNames(["Marta Kovalenko and Daniel Whitcombe"])).toEqual([
      "Marta Kovalenko",
      "Daniel Whitcombe",
    ]);
    expect(cleanAuthorNames(["Von Katrin Müller und Jörg Weiß"])).toEqual(["Katrin Müller", "Jörg Weiß"]);
    expect(cleanAuthorNames(["Jane Doe & John Roe"])).toEqual(["Jane Doe", "John Roe"]);
  });

  it("drops datelines and outlets after a name, and dates in the byline", () => {
    expect(cleanAuthorNames(["Marcus Walker in Kyiv and Ian Lovett for The Wall Street Journal"])).toEqual([
      "Marcus Walker",
      "Ian Lovett",
    ]);
    expect(cleanAuthorNames(["Dan Goodin - Updated 3 hours ago"])).toEqual(["Dan Goodin"]);
  });

  it("fixes ALL-CAPS names and removes duplicates across sources", () => {
    expect(cleanAuthorNames(["By JOE HILDEBRAND", "Joe Hildebrand"])).toEqual(["Joe Hildebrand"]);
  });

  it("returns nothing for an empty or organisation-only job line", () => {
    expect(cleanAuthorNames([""])).toEqual([]);
    expect(cleanAuthorNames(["Staff Writer"])).toEqual([]);
  });
});
