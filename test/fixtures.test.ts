import { describe, expect, it } from "vitest";
import { ArticleRecordSchema } from "../src/domain/article.js";
import { ruleId, SITE_RULES } from "../src/parsers/sites/index.js";
import type { SiteRule } from "../src/parsers/sites/types.js";
import {
  expectedView,
  listFixtureCases,
  parseFixture,
  readExpected,
  rulesWithoutFixture,
  withSortedAttributes,
} from "./support/fixtures.js";

const cases = listFixtureCases();

/** The view as compared: body HTML with attributes in name order, which the two DOMs do not share. */
function comparable(view: Record<string, unknown>): Record<string, unknown> {
  return typeof view.bodyHtml === "string"
    ? { ...view, bodyHtml: withSortedAttributes(view.bodyHtml) }
    : view;
}

describe("golden fixtures", () => {
  it("has the cases the extraction issue asks for", () => {
    expect(cases.length).toBeGreaterThanOrEqual(9);
  });

  it("pins every site rule version with a fixture whose expected.json names it", () => {
    expect(rulesWithoutFixture(SITE_RULES, cases), "add one with npm run fixtures:new").toEqual([]);
  });

  it("notices a rule version that no fixture pins", () => {
    const newer: SiteRule = { ...(SITE_RULES[0] as SiteRule), validFrom: "2099-01-01" };
    expect(rulesWithoutFixture([...SITE_RULES, newer], cases)).toEqual([ruleId(newer)]);
  });

  for (const fixture of cases) {
    const expected = comparable(readExpected(fixture));

    for (const engine of ["tree", "jsdom"] as const) {
      it(`${fixture.name} (${engine}) matches expected.json field by field`, () => {
        const record = parseFixture(fixture, engine);
        const view = comparable(expectedView(record));
        for (const field of Object.keys(expected)) {
          expect.soft(view[field], `${fixture.name}: ${field}`).toEqual(expected[field]);
        }
        expect(Object.keys(view).sort()).toEqual(Object.keys(expected).sort());
      });
    }

    it(`${fixture.name} gives a valid, sanitised record`, () => {
      const record = parseFixture(fixture, "tree");
      expect(ArticleRecordSchema.parse(record)).toEqual(record);
      expect(record.body.html).not.toMatch(/<script|<style|<iframe|\son\w+\s*=|javascript:/i);
      expect(record.wordCount === 0).toBe(record.body.text === "");
    });
  }
});
