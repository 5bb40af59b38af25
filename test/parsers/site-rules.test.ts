import { describe, expect, it } from "vitest";
import { findSiteRule, SITE_RULES } from "../../src/parsers/sites/index.js";
import type { SiteRule } from "../../src/parsers/sites/types.js";

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
