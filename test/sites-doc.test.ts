import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ruleId, SITE_RULES } from "../src/parsers/sites/index.js";
import { renderSitesDoc, SITES_DOC_PATH } from "./support/sites-doc.js";

describe("docs/SITES.md", () => {
  it("is up to date with the site rules and fixtures (run `npm run sites:doc` when this fails)", () => {
    expect(readFileSync(SITES_DOC_PATH, "utf8")).toBe(renderSitesDoc());
  });

  it("has a row for every rule version", () => {
    const rendered = renderSitesDoc();
    for (const rule of SITE_RULES) expect(rendered).toContain(`| \`${ruleId(rule)}\` |`);
  });
});
