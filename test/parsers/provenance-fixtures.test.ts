import { describe, expect, it } from "vitest";
import { listFixtureCases, parseFixture } from "../support/fixtures.js";

/**
 * expected.json pins each chain's roles, names and URLs; this pins how each entry was found, for
 * the fixtures made for the evidence kinds (made-up pages, no site rule for any of them).
 */
const EVIDENCE: Record<string, string[][]> = {
  "feeds.pressreel.example/partner-story-mirror": [
    ["url-section", "name-line"],
    ["original-url-line", "url-path", "og:site_name", "json-ld:publisher"],
    ["page"],
  ],
  "example-gazette.com/ap-wire-story": [
    ["dateline", "byline", "json-ld:author", "json-ld:publisher"],
    ["page"],
  ],
  "example-science.org/republished-partner": [["json-ld:sourceOrganization", "republished-line"], ["page"]],
  "example-ledger.com/emptied-paywalled-part": [["page"]],
  "beispielportal.example/reuters-byline-source-line": [["dateline", "byline", "source-line"], ["page"]],
  "example-network-today.com/partner-paper-byline": [["byline"], ["page"]],
  "example-arab-portal.com/adapted-from-original-source": [["republished-line"], ["page"]],
  "example-insider.com/national-edition-canonical": [["page"]],
};

describe("provenance evidence in the evidence fixtures", () => {
  const cases = listFixtureCases().filter((c) => c.name in EVIDENCE);

  it("has a fixture for each", () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(EVIDENCE).sort());
  });

  for (const fixture of cases) {
    for (const engine of ["tree", "jsdom"] as const) {
      it(`${fixture.name} (${engine})`, () => {
        const record = parseFixture(fixture, engine);
        expect(record.extractor.rule).toBeNull();
        expect(record.provenance.map((entry) => entry.evidence)).toEqual(EVIDENCE[fixture.name]);
      });
    }
  }
});
