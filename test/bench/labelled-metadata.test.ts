import { describe, expect, it } from "vitest";
import {
  type LabelledValues,
  type Labels,
  labelMatches,
  namesInByline,
  timeMatches,
} from "../../bench/lib/labelled-metadata.js";

const labels: Labels = {
  title: "Dam opens",
  authors: ["Ann Lee", "Tom Cruz"],
  published: "2019-11-19T13:03:00Z",
  modified: null,
  publisher: "Example News",
  language: "en",
  agency: null,
  leadImageCaption: null,
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
    const values: LabelledValues = {
      title: " dam  OPENS ",
      authors: ["ann lee", "Tom Cruz"],
      published: null,
      modified: null,
      publisher: "Example News",
      language: "en-GB",
      agency: null,
      leadImageCaption: null,
    };
    expect(labelMatches("title", labels, values)).toBe(true);
    expect(labelMatches("authors", labels, values)).toBe(true);
    expect(labelMatches("authors", labels, { ...values, authors: ["Tom Cruz", "Ann Lee"] })).toBe(false);
    expect(labelMatches("published", labels, values)).toBeNull();
    expect(labelMatches("language", labels, values)).toBe(true);
  });

  const record = (origin: { name: string | null; isThisPage: boolean } | null, caption: string | null) => ({
    title: null,
    authors: null,
    published: null,
    modified: null,
    publisher: null,
    language: null,
    agency: { origin },
    leadImageCaption: { caption },
  });

  it("agency: the labelled agency must be the origin; with none labelled, no origin but the page itself", () => {
    const credited = { ...labels, agency: "AP" };
    const ap = record({ name: "The Associated Press", isThisPage: false }, null);
    const sameOutlet = (a: string, b: string) =>
      [a, b].every((name) => /^(ap|(the )?associated press)$/i.test(name));
    expect(labelMatches("agency", credited, ap, sameOutlet)).toBe(true);
    // Without a way to tell "AP" is The Associated Press, only the names are compared.
    expect(labelMatches("agency", credited, ap)).toBe(false);
    expect(labelMatches("agency", { ...labels, agency: "Associated Press" }, ap)).toBe(true);
    expect(labelMatches("agency", credited, record(null, null), sameOutlet)).toBe(false);
    // The page's own copy named as origin is no agency, even if its name says so.
    expect(labelMatches("agency", credited, record({ name: "AP", isThisPage: true }, null), sameOutlet)).toBe(
      false,
    );

    expect(labelMatches("agency", labels, record(null, null))).toBe(true);
    expect(labelMatches("agency", labels, record({ name: "Example News", isThisPage: true }, null))).toBe(
      true,
    );
    expect(labelMatches("agency", labels, ap)).toBe(false);
    expect(labelMatches("agency", labels, { ...ap, agency: null })).toBeNull();
  });

  it("lead caption: compared as text; a null label wants no caption", () => {
    const captioned = { ...labels, leadImageCaption: "The dam at dawn." };
    expect(labelMatches("leadImageCaption", captioned, record(null, " the dam  at dawn. "))).toBe(true);
    expect(labelMatches("leadImageCaption", captioned, record(null, "The dam at dawn. Photo: AP"))).toBe(
      false,
    );
    expect(labelMatches("leadImageCaption", captioned, record(null, null))).toBe(false);
    expect(labelMatches("leadImageCaption", labels, record(null, null))).toBe(true);
    expect(labelMatches("leadImageCaption", labels, record(null, "A caption"))).toBe(false);
    expect(
      labelMatches("leadImageCaption", labels, { ...record(null, null), leadImageCaption: null }),
    ).toBeNull();
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
