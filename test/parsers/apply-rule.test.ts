import { describe, expect, it } from "vitest";
import { findRuleBody, readRuleFields } from "../../src/parsers/sites/apply-rule.js";
import type { SiteRule } from "../../src/parsers/sites/types.js";
import { documentOf } from "./stages/support.js";

const rule: SiteRule = {
  hosts: ["example.org"],
  validFrom: "2025-01-01",
  publisher: "Example News",
  role: "origin",
  fields: {
    title: { selectors: [".missing", "h1.headline", "h1"] },
    modifiedAt: { selectors: ["time"], attribute: "dateTime" },
    tags: { selectors: ["a.topic"] },
    section: { selectors: [".empty"] },
  },
  body: [".empty", ".story", "article"],
};

describe("readRuleFields", () => {
  for (const engine of ["tree", "jsdom"] as const) {
    it(`takes the first selector that yields a value, attributes by any case, tags once each (${engine})`, () => {
      const document = documentOf(
        `<h1>Site name</h1><h1 class="headline"> Dam  opens </h1><time datetime="2025-03-10T08:00:00Z">Monday</time>
         <a class="topic">Energy</a><a class="topic">Water</a><a class="topic">Energy</a><div class="empty"> </div>`,
        "",
        engine,
      );
      expect(readRuleFields(document, rule)).toEqual({
        title: "Dam opens",
        modifiedAt: "2025-03-10T08:00:00Z",
        tags: ["Energy", "Water"],
      });
    });
  }
});

describe("findRuleBody", () => {
  it("skips a container without text and takes the next", () => {
    const document = documentOf(
      `<div class="empty"></div><div class="story"><p>Text.</p></div><article>Other</article>`,
    );
    expect(findRuleBody(document, rule)?.className).toBe("story");
    expect(findRuleBody(document, { ...rule, body: [".nothing"] })).toBeNull();
    expect(findRuleBody(document, { ...rule, body: undefined })).toBeNull();
  });
});
