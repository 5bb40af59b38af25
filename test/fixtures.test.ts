import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ArticleRecordSchema } from "../src/domain/article.js";
import { expectedView, listFixtureCases, parseFixture } from "./support/fixtures.js";

const cases = listFixtureCases();

describe("golden fixtures", () => {
  it("has the cases the extraction issue asks for", () => {
    expect(cases.length).toBeGreaterThanOrEqual(9);
  });

  for (const fixture of cases) {
    const expected = JSON.parse(readFileSync(path.join(fixture.dir, "expected.json"), "utf8")) as Record<
      string,
      unknown
    >;

    for (const engine of ["linkedom", "jsdom"] as const) {
      it(`${fixture.name} (${engine}) matches expected.json field by field`, () => {
        const record = parseFixture(fixture, engine);
        const view = expectedView(record);
        for (const field of Object.keys(expected)) {
          expect.soft(view[field], `${fixture.name}: ${field}`).toEqual(expected[field]);
        }
        expect(Object.keys(view).sort()).toEqual(Object.keys(expected).sort());
      });
    }

    it(`${fixture.name} gives a valid, sanitised record`, () => {
      const record = parseFixture(fixture, "linkedom");
      expect(ArticleRecordSchema.parse(record)).toEqual(record);
      expect(record.body.html).not.toMatch(/<script|<style|<iframe|\son\w+\s*=|javascript:/i);
      expect(record.wordCount === 0).toBe(record.body.text === "");
    });
  }
});
