import { describe, expect, it } from "vitest";
import type { JsonLdArticle } from "../../../src/parsers/generic/json-ld.js";
import { classifyPage } from "../../../src/parsers/stages/classify.js";
import { EMPTY_BODY, measureBody } from "../../../src/parsers/stages/measure-body.js";
import type { PageSignals } from "../../../src/parsers/stages/read-facts.js";
import { documentOf, jsonLdArticle, prose } from "./support.js";

const declared = (articleBody: string, extra: Partial<JsonLdArticle> = {}) =>
  jsonLdArticle({ articleBody, ...extra });
const longText = Array.from(
  { length: 6 },
  (_, i) => `Declared paragraph ${i} tells the whole story in many more words than the page shows.`,
).join("\n");

describe("measureBody", () => {
  it("gives sanitised HTML, block text, words and link share", () => {
    const document = documentOf(
      `<div id="b"><p onclick="x()">One two <a href="/x">three</a>.</p><p>Four five.</p></div>`,
    );
    const body = measureBody(document.getElementById("b"), {
      jsonLd: null,
      paywallShown: false,
      allowDeclared: true,
    });
    expect(body.text).toBe("One two three.\n\nFour five.");
    expect(body.words).toBe(5);
    expect(body.html).not.toContain("onclick");
    // "three" is 5 of the 24 characters of "One two three.Four five."
    expect(body.linkDensity).toBeCloseTo(5 / 24, 5);
    expect(body.warning).toBeNull();
  });

  it("takes a much longer JSON-LD articleBody, with a warning", () => {
    const document = documentOf(`<div id="b"><p>Only a teaser here.</p></div>`);
    const body = measureBody(document.getElementById("b"), {
      jsonLd: declared(longText),
      paywallShown: false,
      allowDeclared: true,
    });
    expect(body.text.split("\n\n")).toHaveLength(6);
    expect(body.html.startsWith("<p>Declared paragraph 0")).toBe(true);
    expect(body.warning).toMatch(/JSON-LD articleBody \(\d+ words; the page showed 4\)/);
  });

  it("never takes the declared text behind a paywall, for a paid story, or when not allowed", () => {
    const document = documentOf(`<div id="b"><p>Only a teaser here.</p></div>`);
    const content = document.getElementById("b");
    const options = { jsonLd: declared(longText), paywallShown: false, allowDeclared: true };
    expect(measureBody(content, { ...options, paywallShown: true }).words).toBe(4);
    expect(measureBody(content, { ...options, allowDeclared: false }).words).toBe(4);
    const paid = declared(longText, { isAccessibleForFree: false });
    expect(measureBody(content, { ...options, jsonLd: paid }).words).toBe(4);
  });

  it("is empty without a body or a declared one", () => {
    expect(measureBody(null, { jsonLd: null, paywallShown: false, allowDeclared: true })).toEqual(EMPTY_BODY);
  });
});

const signals = (overrides: Partial<PageSignals> = {}): PageSignals => ({
  jsonLdArticle: false,
  articleMicrodata: false,
  ogType: null,
  readerable: false,
  declaresListing: false,
  ...overrides,
});

describe("classifyPage", () => {
  it("an article needs 25 words, or 50 without any sign of one", () => {
    expect(classifyPage({ words: 30, linkDensity: 0 }, signals({ ogType: "article" }))).toEqual({
      isArticle: true,
    });
    expect(classifyPage({ words: 24, linkDensity: 0 }, signals({ ogType: "article" }))).toEqual({
      isArticle: false,
      reason: "not an article: 24 words of body text",
    });
    expect(classifyPage({ words: 40, linkDensity: 0 }, signals()).isArticle).toBe(false);
    expect(classifyPage({ words: 60, linkDensity: 0 }, signals()).isArticle).toBe(true);
  });

  it("a list of links or a declared listing is not an article, however long", () => {
    expect(classifyPage({ words: 500, linkDensity: 0.8 }, signals({ readerable: true }))).toEqual({
      isArticle: false,
      reason: "not an article: 500 words of body text, 80% of it links",
    });
    expect(
      classifyPage({ words: 500, linkDensity: 0 }, signals({ declaresListing: true, ogType: "website" })),
    ).toEqual({
      isArticle: false,
      reason: "not an article: the page declares itself a listing (og:type website)",
    });
  });

  it("agrees with measureBody on a real body", () => {
    const document = documentOf(`<div id="b">${prose(5)}</div>`);
    const body = measureBody(document.getElementById("b"), {
      jsonLd: null,
      paywallShown: false,
      allowDeclared: true,
    });
    expect(classifyPage(body, signals({ readerable: true })).isArticle).toBe(true);
  });
});
