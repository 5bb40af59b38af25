import { describe, expect, it } from "vitest";
import {
  type ArticleRecord,
  contentHashOf,
  missingFields,
  REVISION_FIELDS,
} from "../../../src/domain/article.js";
import { assembleRecord, storyImages } from "../../../src/parsers/stages/assemble.js";
import { EMPTY_BODY } from "../../../src/parsers/stages/measure-body.js";
import type { ResolvedFields } from "../../../src/parsers/stages/resolve-fields.js";
import { traceSyndication } from "../../../src/parsers/stages/syndication.js";
import { documentOf, PAGE_URL } from "./support.js";

const base = {
  finalUrl: PAGE_URL,
  generic: { canonical: null, ogUrl: null },
  publisher: "Example News",
  rule: null,
  jsonLd: null,
  originalUrls: [],
  creditLines: [],
  isArticle: true,
};

describe("traceSyndication", () => {
  it("uses a same-site canonical as this copy's URL", () => {
    const out = traceSyndication({
      ...base,
      generic: { canonical: "/world/story?utm_source=x", ogUrl: null },
    });
    expect(out.url).toBe("https://news.example.org/world/story");
    expect(out.provenance).toEqual([
      { role: "origin", name: "Example News", url: out.url, evidence: ["page"] },
    ]);
  });

  it("an Original URL line on another site makes this copy the aggregator of that one", () => {
    const out = traceSyndication({ ...base, originalUrls: ["https://www.other.example.com/story"] });
    expect(out.provenance.map((p) => [p.role, p.url])).toEqual([
      ["origin", "https://www.other.example.com/story"],
      ["aggregator", out.url],
    ]);
  });

  it("a foreign canonical is the upstream copy; a listing has no chain", () => {
    const foreign = { ...base, generic: { canonical: "https://origin.example.net/a", ogUrl: null } };
    expect(traceSyndication(foreign).provenance[0]).toMatchObject({
      role: "origin",
      evidence: ["canonical"],
    });
    expect(traceSyndication({ ...foreign, isArticle: false }).provenance).toEqual([]);
  });
});

const fields: ResolvedFields = {
  title: "Dam opens",
  standfirst: null,
  byline: null,
  authors: [],
  publishedAt: null,
  publishedAtRaw: null,
  modifiedAt: null,
  modifiedAtRaw: null,
  publisher: "Example News",
  section: null,
  tags: [],
  language: "ar",
  warnings: [],
};

const parts = {
  requestedUrl: PAGE_URL,
  finalUrl: PAGE_URL,
  fetchedAt: "2025-03-11T06:00:00.000Z",
  extractedAt: "2025-03-11T06:00:01.000Z",
  ruleId: null,
  fields,
  body: { ...EMPTY_BODY, html: "<p>نص</p>", text: "نص", words: 1 },
  images: [],
  syndication: { url: PAGE_URL, provenance: [], warnings: [] },
  paywall: { accessibleForFree: null, truncated: false },
  declaredDir: null,
  warnings: ["a warning"],
};

describe("assembleRecord", () => {
  it("lists what is missing, hashes the revision fields and reads the direction from the language", () => {
    const record = assembleRecord(parts);
    expect(record.missing).toEqual([
      "standfirst",
      "byline",
      "authors",
      "publishedAt",
      "modifiedAt",
      "section",
      "tags",
      "images",
    ]);
    expect(record.direction).toBe("rtl");
    expect(record.contentHash).toBe(contentHashOf(record));
    expect(record.warnings).toEqual(["a warning"]);
    expect(assembleRecord({ ...parts, declaredDir: "LTR" }).direction).toBe("ltr");
  });

  it("a page with neither text nor title has no direction", () => {
    expect(
      assembleRecord({ ...parts, fields: { ...fields, title: null }, body: EMPTY_BODY }).direction,
    ).toBeNull();
  });
});

describe("storyImages", () => {
  it("puts the declared lead first and keeps the body's images once, without pixels", () => {
    const document = documentOf(
      `<div id="b"><img src="/i/lead-123456.jpg?w=300"><img src="/i/second-654321.jpg" alt="Second"><img src="/px.gif" width="1"></div>`,
    );
    const images = storyImages(
      document.getElementById("b"),
      { url: "/i/lead-123456.jpg", caption: "Lead", credit: null },
      new Map(),
      PAGE_URL,
    );
    expect(images.map((i) => [i.url, i.isLead, i.caption])).toEqual([
      ["https://news.example.org/i/lead-123456.jpg", true, "Lead"],
      ["https://news.example.org/i/second-654321.jpg", false, null],
    ]);
  });
});

describe("contentHashOf and missingFields (domain)", () => {
  const record = assembleRecord(parts);

  it("the hash changes with every revision field and with nothing else", () => {
    const changed: Record<(typeof REVISION_FIELDS)[number], Partial<ArticleRecord>> = {
      title: { title: "Other" },
      standfirst: { standfirst: "Dek" },
      authors: { authors: ["Ann Lee"] },
      publishedAt: { publishedAt: "2025-03-10T00:00:00.000Z" },
      modifiedAt: { modifiedAt: "2025-03-10T00:00:00.000Z" },
      body: { body: { html: "<p>x</p>", text: "y" } },
    };
    for (const field of REVISION_FIELDS) {
      expect(contentHashOf({ ...record, ...changed[field] }), field).not.toBe(record.contentHash);
    }
    const sameRevision: ArticleRecord = {
      ...record,
      body: { html: "<p><b>other markup</b></p>", text: record.body.text },
      section: "Sport",
    };
    expect(contentHashOf(sameRevision)).toBe(record.contentHash);
  });

  it("an empty string, null or empty list is missing; the body counts by its text", () => {
    expect(missingFields({ ...record, title: "", tags: ["a"], body: { html: "<p></p>", text: "" } })).toEqual(
      ["title", "standfirst", "byline", "authors", "publishedAt", "modifiedAt", "section", "body", "images"],
    );
  });
});
