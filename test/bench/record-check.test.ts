import { describe, expect, it } from "vitest";
import { bodyHtmlProblem, checkRecord, textProblem, urlProblem } from "../../bench/lib/record-check.js";
import { parsePage } from "../../src/parsers/parse-page.js";

describe("textProblem", () => {
  it("flags HTML elements, attributes and comments, closed or not", () => {
    for (const value of [
      "Dam opens <img src=x onerror=alert(1)> today",
      "Dam opens <img src=x onerror=alert(1)",
      "<b>Jane</b> Doe",
      "Jane </b>",
      "x <x-widget data-a=1> y",
      "before <!-- after",
      "left over onerror=alert(1)",
    ]) {
      expect(textProblem(value), value).not.toBeNull();
    }
    expect(textProblem("<b>x</b>")?.problem).toBe("markup");
  });

  it("passes plain text that merely looks like it", () => {
    for (const value of [
      "<The Palace: Tale of Jang Noksu>",
      "JavaScript: The Good Parts",
      "Big data: what it means",
      "I <3 NY",
      "a < b > c",
      "p<0.05 in the trial",
      "Tom & Jerry",
      "Donation=charity",
      "Why javascript:alert(1) still works",
    ]) {
      expect(textProblem(value), value).toBeNull();
    }
  });
});

describe("urlProblem", () => {
  it("wants absolute http(s) URLs with nothing raw a serialiser would encode", () => {
    for (const value of [
      "javascript:alert(1)",
      " javascript:alert(1)",
      "vbscript:msgbox(1)",
      "data:image/png;base64,AAAA",
      "/relative/path",
      "//cdn.example.org/a.jpg",
      "ftp://example.org/a",
      "http://",
      'https://example.org/"><script>',
      "https://example.org/a b",
    ]) {
      expect(urlProblem(value), value).not.toBeNull();
    }
    expect(urlProblem("javascript:alert(1)")?.problem).toBe("script-url");
    for (const value of [
      "https://example.org/a?b=c#d",
      "http://example.org/it's",
      "https://example.org/javascript:x",
    ]) {
      expect(urlProblem(value), value).toBeNull();
    }
  });
});

describe("bodyHtmlProblem", () => {
  it("flags script, handlers, styles and script URLs, however they are spelt", () => {
    for (const html of [
      "<p>x</p><script>alert(1)</script>",
      '<p onclick="x()">x</p>',
      '<a href="javascript:alert(1)">x</a>',
      '<a href="java&#9;script:alert(1)">x</a>',
      "<a href=JaVaScRiPt:alert(1)>x</a>",
      '<img src="data:image/svg+xml,x">',
      '<p style="color:red">x</p>',
      "<iframe src=x></iframe>",
    ]) {
      expect(bodyHtmlProblem(html), html).not.toBeNull();
    }
    expect(bodyHtmlProblem('<p>See <a href="https://example.org/">this</a> &lt;script&gt;</p>')).toBeNull();
  });
});

describe("checkRecord", () => {
  it("finds nothing in an ordinary record and names the field of a bad value", () => {
    const record = parsePage({
      html: `<html><head><title>Dam opens</title><meta name="author" content="Jane Doe"></head><body><article>${"<p>A paragraph of words long enough to count as prose in a story.</p>".repeat(8)}</article></body></html>`,
      url: "https://news.example.org/a/story",
      fetchedAt: "2025-03-11T06:00:00Z",
    });
    expect(checkRecord(record)).toEqual([]);
    const spoiled = { ...record, title: "<b>Dam</b>", authors: ["Jane", "x onmouseover=1"] };
    expect(checkRecord(spoiled).map((finding) => finding.field)).toEqual(["title", "authors[1]"]);
    const badImage = {
      ...record,
      images: [{ url: "javascript:x", caption: null, credit: null, alt: null, isLead: true }],
    };
    expect(checkRecord(badImage)).toEqual([
      { field: "images[0].url", problem: "script-url", excerpt: "javascript:x" },
    ]);
  });
});
