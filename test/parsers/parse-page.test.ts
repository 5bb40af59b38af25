import { describe, expect, it } from "vitest";
import { CopydeskError } from "../../src/domain/errors.js";
import { parsePage } from "../../src/parsers/parse-page.js";

const paragraphs = (n: number, word = "story") =>
  Array.from(
    { length: n },
    (_, i) => `<p>Paragraph ${i} of the ${word} has enough words to be read as prose by anyone.</p>`,
  ).join("");

const page = (head: string, body: string) =>
  `<!DOCTYPE html><html lang="en"><head>${head}</head><body>${body}</body></html>`;
const input = (html: string) => ({
  html,
  url: "https://news.example.org/a/story",
  fetchedAt: "2025-03-11T06:00:00Z",
});

describe("parsePage", () => {
  for (const engine of ["tree", "jsdom"] as const) {
    it(`extracts a page whose <style> holds uncompiled SCSS (${engine})`, () => {
      const html = page(
        "<title>SCSS</title><style>.a { width: calc(100% - #{$gutter}); }</style>",
        `<article><h1>SCSS</h1>${paragraphs(8)}</article>`,
      );
      const record = parsePage(input(html), { engine });
      expect(record.wordCount).toBeGreaterThan(100);
      expect(record.missing).not.toContain("body");
    });
  }

  it("gives a record with missing body and a reason for a page that is not an article", () => {
    const links = Array.from(
      { length: 30 },
      (_, i) => `<li><a href="/s/${i}">Headline number ${i}</a></li>`,
    ).join("");
    const record = parsePage(input(page("<title>World</title>", `<ul>${links}</ul>`)));
    expect(record.body.text).toBe("");
    expect(record.missing).toContain("body");
    expect(record.warnings.join(" ")).toMatch(/not an article/);
  });

  it("never takes a paywalled page's JSON-LD articleBody to get round the paywall", () => {
    const full = Array.from({ length: 60 }, () => "Hidden subscriber sentence with many words in it.").join(
      "\n",
    );
    const jsonLd = JSON.stringify({
      "@type": "NewsArticle",
      headline: "Paid",
      isAccessibleForFree: false,
      articleBody: full,
    });
    const html = page(
      `<title>Paid</title><script type="application/ld+json">${jsonLd}</script>`,
      `<article><h1>Paid</h1>${paragraphs(2, "teaser")}<div class="paywall-prompt">Subscribe to keep reading</div></article>`,
    );
    const record = parsePage(input(html));
    expect(record.body.text).not.toContain("Hidden subscriber sentence");
    expect(record.paywall).toEqual({ accessibleForFree: false, truncated: true });
  });

  it("uses a free page's JSON-LD articleBody when the DOM shows much less", () => {
    const full = Array.from(
      { length: 40 },
      (_, i) => `Declared sentence ${i} of the free story, long enough.`,
    ).join("\n");
    const jsonLd = JSON.stringify({ "@type": "NewsArticle", headline: "Free", articleBody: full });
    const html = page(
      `<title>Free</title><script type="application/ld+json">${jsonLd}</script>`,
      `<div id="app"></div>`,
    );
    const record = parsePage(input(html));
    expect(record.body.text.split("\n\n")).toHaveLength(40);
    expect(record.warnings.join(" ")).toMatch(/JSON-LD articleBody/);
  });

  it("sanitises the body html", () => {
    const html = page(
      "<title>X</title>",
      `<article>${paragraphs(14)}<p onclick="steal()">Click <a href="javascript:alert(1)">here</a> or <a href="https://ok.example/">there</a> now please.</p></article>`,
    );
    const record = parsePage(input(html));
    expect(record.body.html).not.toMatch(/onclick|javascript:/);
    expect(record.body.html).toContain('href="https://ok.example/"');
  });

  it("rejects input that is not a page with a typed error", () => {
    expect(() =>
      parsePage({ html: "<p>x</p>", url: "not a url", fetchedAt: "2025-01-01T00:00:00Z" }),
    ).toThrow(CopydeskError);
    expect(() => parsePage({ html: "<p>x</p>", url: "https://x.org/", fetchedAt: "someday" })).toThrow(
      /fetchedAt/,
    );
  });
});

describe("printed bylines", () => {
  it("keeps the printed byline raw but takes no date into the author names", () => {
    const html = page(
      "<title>B</title>",
      `<article><h1>B</h1><div class="byline">Joe Wee Monday, February 29, 2016 @ 11:10 PM UTC</div>${paragraphs(14)}</article>`,
    );
    const record = parsePage(input(html));
    expect(record.byline).toBe("Joe Wee Monday, February 29, 2016 @ 11:10 PM UTC");
    expect(record.authors).toEqual(["Joe Wee"]);
  });
});
