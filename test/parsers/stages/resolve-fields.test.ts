import { describe, expect, it } from "vitest";
import type { GenericMetadata } from "../../../src/parsers/generic/metadata.js";
import type { SiteRule } from "../../../src/parsers/sites/types.js";
import { type ResolveInput, resolveFields } from "../../../src/parsers/stages/resolve-fields.js";
import { PAGE_URL } from "./support.js";

const generic: GenericMetadata = {
  title: "Generic title",
  standfirst: "Generic dek",
  byline: "By Ann Lee and Tom Cruz",
  authorNames: ["Ann Lee", "Tom Cruz"],
  authorSources: [["Ann Lee", "Tom Cruz"]],
  siteNames: { declared: ["Generic Site"], hostLabels: [] },
  publishedRaw: "2025-03-10T08:00:00+02:00",
  modifiedRaw: null,
  publishedCandidates: [{ raw: "2025-03-10T08:00:00+02:00", source: "metadata" }],
  modifiedCandidates: [],
  publisher: "Generic Site",
  section: "World",
  tags: ["energy"],
  language: "en",
  canonical: null,
  ogUrl: null,
  leadImage: null,
};

const rule: SiteRule = {
  hosts: ["example.org"],
  validFrom: "2025-01-01",
  publisher: "Rule Publisher",
  role: "origin",
  fields: {
    title: { selectors: ["h1"] },
    byline: { selectors: [".byline"] },
    publishedAt: { selectors: ["time"] },
  },
};

const input = (overrides: Partial<ResolveInput>): ResolveInput => ({
  rule: null,
  ruleValues: {},
  generic,
  fallback: true,
  isArticle: true,
  finalUrl: PAGE_URL,
  fetchedAt: "2025-03-11T06:00:00.000Z",
  ...overrides,
});

describe("resolveFields", () => {
  it("without a rule, takes the cascade's values and cleans them", () => {
    const fields = resolveFields(input({}));
    expect(fields).toMatchObject({
      title: "Generic title",
      authors: ["Ann Lee", "Tom Cruz"],
      publishedAt: "2025-03-10T06:00:00.000Z",
      publisher: "Generic Site",
      warnings: [],
    });
  });

  it("a rule's value wins for the fields it covers; its publisher always wins", () => {
    const fields = resolveFields(
      input({ rule, ruleValues: { title: "Rule title", byline: "By Maria Ortiz" } }),
    );
    expect(fields).toMatchObject({ title: "Rule title", byline: "By Maria Ortiz", authors: ["Maria Ortiz"] });
    expect(fields.publisher).toBe("Rule Publisher");
    expect(fields.standfirst).toBe("Generic dek"); // not a rule field
  });

  it("with the fallback on, a rule field that found nothing falls back to the cascade", () => {
    const fields = resolveFields(input({ rule, ruleValues: {} }));
    expect(fields.title).toBe("Generic title");
    expect(fields.authors).toEqual(["Ann Lee", "Tom Cruz"]);
  });

  it("with the fallback off, a rule field that found nothing stays empty, authors included", () => {
    const fields = resolveFields(input({ rule, ruleValues: {}, fallback: false }));
    expect(fields).toMatchObject({ title: null, byline: null, authors: [], publishedAt: null });
    expect(fields.standfirst).toBe("Generic dek");
  });

  it("a listing has no byline, authors or dates; an unreadable date is a warning", () => {
    expect(resolveFields(input({ isArticle: false }))).toMatchObject({
      byline: null,
      authors: [],
      publishedAt: null,
    });
    const odd = resolveFields(
      input({
        generic: {
          ...generic,
          publishedRaw: "the day before yesterday",
          publishedCandidates: [{ raw: "the day before yesterday", source: "metadata" }],
        },
      }),
    );
    expect(odd.publishedAt).toBeNull();
    expect(odd.warnings).toEqual(["unreadable publication date: the day before yesterday"]);
  });
});
