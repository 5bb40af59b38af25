import { describe, expect, it } from "vitest";
import { printedOriginalUrls } from "../../../src/parsers/engine/original-url.js";
import type { SiteRule } from "../../../src/parsers/sites/types.js";
import { readFacts } from "../../../src/parsers/stages/read-facts.js";
import { documentOf, PAGE_URL, prose } from "./support.js";

const FETCHED = "2025-03-11T06:00:00.000Z";
const rule: SiteRule = {
  hosts: ["example.org"],
  validFrom: "2025-01-01",
  publisher: "Example News",
  role: "syndicator",
  fields: {
    byline: { selectors: [".writer"] },
    publishedAt: { selectors: ["time.pub"], attribute: "dateTime" },
    tags: { selectors: [".tag"] },
  },
  paywallMarkers: [".locked"],
};

describe("printedOriginalUrls", () => {
  for (const engine of ["tree", "jsdom"] as const) {
    it(`finds the URL after the label in the same text or the next element (${engine})`, () => {
      const document = documentOf(
        `<p>Original URL: https://a.example.com/one?x=1&amp;y=2</p>
         <footer><strong>Original URL:</strong> <a href="https://ignored.example">https://b.example.com/two</a></footer>
         <p>Original URL: not a link</p><p>https://c.example.com/not-after-a-label</p>`,
        "",
        engine,
      );
      expect(printedOriginalUrls(document.documentElement)).toEqual([
        "https://a.example.com/one?x=1&y=2",
        "https://b.example.com/two",
      ]);
    });
  }

  it("ignores scripts and survives a page nested 20,000 deep", () => {
    const deep = `${"<div>".repeat(20_000)}Original URL: https://deep.example.com/x${"</div>".repeat(20_000)}`;
    const document = documentOf(
      `<script type="application/ld+json">{"a":"Original URL: https://s.example"}</script>${deep}`,
    );
    expect(printedOriginalUrls(document.documentElement)).toEqual(["https://deep.example.com/x"]);
  });
});

describe("readFacts", () => {
  it("reads the rule's fields, markers and the page's signals before anything is cleaned", () => {
    const document = documentOf(
      `<article><span class="writer">By Ann Lee</span><time class="pub" datetime="2025-03-10T08:00:00Z">10 March</time>
       <a class="tag">Energy</a><a class="tag">Energy</a><a class="tag">Grid</a>
       <div class="locked">Subscribe to read</div>${prose(6)}</article>`,
      `<meta property="og:type" content="article"><script type="application/ld+json">{"@type":"NewsArticle","headline":"H"}</script>`,
    );
    const facts = readFacts(document, PAGE_URL, FETCHED, [rule]);
    expect(facts.matched?.id).toBe("example.org@2025-01-01");
    expect(facts.ruleValues).toEqual({
      byline: "By Ann Lee",
      publishedAt: "2025-03-10T08:00:00Z",
      tags: ["Energy", "Grid"],
    });
    expect(facts.paywall.ruleMarker).toBe(true);
    expect(facts.signals).toMatchObject({ jsonLdArticle: true, ogType: "article", declaresListing: false });
    expect(facts.jsonLd?.headline).toBe("H");
  });

  it("keys captions by a lazy image's real URL and sees a declared listing", () => {
    const document = documentOf(
      `<figure><img src="data:image/gif;base64,R0lGOD" data-src="/img/lead-123456.jpg"><figcaption>The dam at dawn.</figcaption></figure>`,
      `<meta property="og:type" content="website"><script type="application/ld+json">{"@type":"CollectionPage"}</script>`,
    );
    const facts = readFacts(document, PAGE_URL, FETCHED, []);
    expect(facts.matched).toBeNull();
    expect(facts.captions.get("https://news.example.org/img/lead-123456.jpg")?.caption).toBe(
      "The dam at dawn.",
    );
    expect(facts.signals.declaresListing).toBe(true);
  });
});
