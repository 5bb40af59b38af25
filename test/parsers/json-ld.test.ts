import { describe, expect, it } from "vitest";
import { openDocument } from "../../src/parsers/engine/dom.js";
import { declaresArticle, findJsonLdArticle, readJsonLdBlocks } from "../../src/parsers/generic/json-ld.js";

function jsonLdOf(...blocks: object[]) {
  const scripts = blocks.map(
    (block) => `<script type="application/ld+json">${JSON.stringify(block)}</script>`,
  );
  const { document, close } = openDocument(
    `<html><head>${scripts.join("")}</head><body></body></html>`,
    "https://example.org/a",
    "tree",
  );
  try {
    return findJsonLdArticle(readJsonLdBlocks(document));
  } finally {
    close();
  }
}

describe("findJsonLdArticle", () => {
  it("prefers an article node to the page node beside it", () => {
    const article = jsonLdOf({
      "@graph": [
        { "@type": "WebPage", datePublished: "2018-04-18T14:39:09+02:00" },
        { "@type": "NewsArticle", headline: "Story", datePublished: "2018-04-18T15:00:00+02:00" },
      ],
    });
    expect(article?.datePublished).toBe("2018-04-18T15:00:00+02:00");
    expect(declaresArticle(article)).toBe(true);
  });

  it("reads a page typed only as a web page for its dates, not its account as an author", () => {
    const page = jsonLdOf({
      "@graph": [
        { "@type": "WebSite", name: "Example" },
        {
          "@type": "MedicalWebPage",
          headline: "Fifteen tips",
          author: { "@type": "Person", name: "site-admin" },
          datePublished: "2019-11-14T08:00:00.000Z",
          dateModified: "2019-11-15T08:00:00.000Z",
        },
      ],
    });
    expect(page).toMatchObject({
      headline: "Fifteen tips",
      datePublished: "2019-11-14T08:00:00.000Z",
      dateModified: "2019-11-15T08:00:00.000Z",
      authors: [],
    });
    // A page node does not make the page an article.
    expect(declaresArticle(page)).toBe(false);
  });

  it("does not read a listing page as the document", () => {
    expect(jsonLdOf({ "@type": "CollectionPage", datePublished: "2019-11-14T08:00:00Z" })).toBeNull();
  });
});
