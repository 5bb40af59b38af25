import { describe, expect, it } from "vitest";
import { findSiteRule, ruleId, SITE_RULES } from "../../src/parsers/sites/index.js";
import type { SiteRule } from "../../src/parsers/sites/types.js";
import {
  expectedView,
  type FixtureCase,
  listFixtureCases,
  parseFixture,
  readExpected,
} from "../support/fixtures.js";

const version = (validFrom: string): SiteRule => ({
  hosts: ["example.com"],
  validFrom,
  publisher: "Example",
  role: "origin",
  fields: {},
});

describe("findSiteRule", () => {
  const rules = [version("2024-01-01"), version("2025-06-01")];

  it("picks the newest version not newer than the fetch date", () => {
    expect(findSiteRule("https://www.example.com/a", "2025-03-01T00:00:00Z", rules)?.id).toBe(
      "example.com@2024-01-01",
    );
    expect(findSiteRule("https://example.com/a", "2025-07-01T00:00:00Z", rules)?.id).toBe(
      "example.com@2025-06-01",
    );
    expect(findSiteRule("https://news.example.com/a", "2023-01-01T00:00:00Z", rules)?.id).toBe(
      "example.com@2024-01-01",
    );
  });

  it("matches no other host", () => {
    expect(findSiteRule("https://notexample.com/a", "2025-07-01T00:00:00Z", rules)).toBeNull();
  });

  it("has a rule for each site the mission names", () => {
    for (const url of [
      "https://www.wsj.com/x",
      "https://www.theaustralian.com.au/x",
      "https://www.newsbite.com.au/x",
    ]) {
      expect(findSiteRule(url, "2025-03-11T00:00:00Z")).not.toBeNull();
    }
    for (const rule of SITE_RULES) expect(rule.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe("a fixture catches a broken rule (generic fallback off)", () => {
  const ruled = listFixtureCases().filter((fixture) => findSiteRule(fixture.url, fixture.fetchedAt) !== null);
  const broken = (fixture: FixtureCase, breakRule: (rule: SiteRule) => SiteRule): SiteRule[] => {
    const id = findSiteRule(fixture.url, fixture.fetchedAt)?.id;
    return SITE_RULES.map((rule) => (ruleId(rule) === id ? breakRule(rule) : rule));
  };

  it("has site fixtures to check", () => {
    expect(ruled.length).toBeGreaterThanOrEqual(3);
  });

  for (const fixture of listFixtureCases().filter((f) => findSiteRule(f.url, f.fetchedAt)?.rule.body)) {
    it(`${fixture.name}: a body selector that no longer matches empties the body`, () => {
      const expected = readExpected(fixture);
      expect(expected.bodyText).not.toBe("");
      const rules = broken(fixture, (rule) => ({ ...rule, body: ["[data-renamed-body]"] }));
      const record = parseFixture(fixture, "tree", rules);
      expect(record.body.text).toBe("");
      expect(expectedView(record)).not.toEqual(expected);
    });
  }

  for (const fixture of ruled.filter((f) => findSiteRule(f.url, f.fetchedAt)?.rule.fields.byline)) {
    it(`${fixture.name}: a byline selector that no longer matches leaves no byline and no authors`, () => {
      const expected = readExpected(fixture);
      expect(expected.authors).not.toEqual([]);
      const rules = broken(fixture, (rule) => ({
        ...rule,
        fields: { ...rule.fields, byline: { selectors: ["[data-renamed-byline]"] } },
      }));
      const record = parseFixture(fixture, "tree", rules);
      expect(record.byline).toBeNull();
      expect(record.authors).toEqual([]);
    });
  }
});
