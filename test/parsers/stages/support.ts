import { type DomEngine, openDocument } from "../../../src/parsers/engine/dom.js";
import type { JsonLdArticle } from "../../../src/parsers/generic/json-ld.js";

export const PAGE_URL = "https://news.example.org/world/2025/03/10/story";

/** A document for one test; linkedom unless told. */
export function documentOf(body: string, head = "", engine: DomEngine = "tree"): Document {
  const html = `<!DOCTYPE html><html lang="en"><head>${head}</head><body>${body}</body></html>`;
  return openDocument(html, PAGE_URL, engine).document;
}

/** Paragraphs of plain prose, `n` of them, about eleven words each. */
export function prose(n: number, word = "story"): string {
  return Array.from(
    { length: n },
    (_, i) => `<p>Paragraph ${i} of the ${word} has enough words to be read as prose by anyone.</p>`,
  ).join("");
}

/** A JSON-LD article as findJsonLdArticle gives it, empty but for the overrides. */
export function jsonLdArticle(overrides: Partial<JsonLdArticle> = {}): JsonLdArticle {
  return {
    type: "NewsArticle",
    headline: null,
    description: null,
    articleBody: null,
    authors: [],
    datePublished: null,
    dateModified: null,
    publisher: null,
    organizationAuthors: [],
    siteNames: [],
    allDatesPublished: [],
    section: null,
    keywords: [],
    language: null,
    url: null,
    images: [],
    isAccessibleForFree: null,
    basedOn: [],
    sourceOrganizations: [],
    hasPaywalledPart: false,
    paywalledSelectors: [],
    ...overrides,
  };
}
