import { describe, expect, it } from "vitest";
import { htmlOfPage } from "../../src/batch/page-html.js";
import { binaryReason, textReason } from "../../src/batch/sniff-html.js";
import { hasErrorCode } from "../../src/domain/errors.js";

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe("binaryReason", () => {
  it.each([
    ["PNG", bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13), "a PNG image"],
    ["JPEG", bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16), "a JPEG image"],
    ["PDF", utf8("%PDF-1.7\n%âãÏÓ\n1 0 obj"), "a PDF document"],
    ["ZIP", bytes(0x50, 0x4b, 0x03, 0x04, 20, 0), "a ZIP archive (or .docx, .epub, .jar)"],
    ["gzip", bytes(0x1f, 0x8b, 8, 0, 0, 0), "gzip-compressed data (gunzip it first)"],
    ["WebP", utf8("RIFF\u0001\u0002\u0003\u0004WEBPVP8 "), "a WebP image"],
    ["a WARC", utf8("WARC/1.1\r\nWARC-Type: warcinfo\r\n"), "a WARC file (use --warc)"],
  ])("knows %s by its signature", (_name, input, reason) => {
    expect(binaryReason(input)).toBe(reason);
  });

  it("takes NUL bytes for binary data", () => {
    expect(binaryReason(utf8("<html><body>\u0000\u0000</body></html>"))).toBe(
      "binary data (it has NUL bytes)",
    );
  });

  it("takes a text made of control bytes for binary data, but not a page with a stray one", () => {
    const controls = Uint8Array.from({ length: 400 }, (_, index) => (index % 3 === 0 ? 0x01 : 0x41));
    expect(binaryReason(controls)).toBe("binary data (control bytes)");
    expect(
      binaryReason(utf8(`<p>A title\u001f with a stray control character</p>${"<p>text</p>".repeat(20)}`)),
    ).toBeNull();
  });

  it("lets UTF-16 with its BOM through: its NULs are half of every ASCII character", () => {
    const html = "<html><body><p>Hello</p></body></html>";
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(html, "utf16le")]);
    expect(binaryReason(utf16)).toBeNull();
    expect(htmlOfPage(utf16, null, "page")).toContain("<p>Hello</p>");
  });

  it("reads a page by its bytes, whatever it would be called", () => {
    expect(binaryReason(utf8("<!doctype html><title>x</title><p>y</p>"))).toBeNull();
  });
});

describe("textReason", () => {
  it.each([
    ["<!doctype html><html><body><p>x</p></body></html>"],
    ["\n  <p>A fragment of a saved page</p>"],
    ['<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>'],
    ["Some prose first, then <b>markup</b>."],
  ])("accepts markup: %j", (text) => {
    expect(textReason(text)).toBeNull();
  });

  it.each([
    ["Just a text file.\nWith lines, and a < b comparison.", "text with no markup"],
    ["   \n\t ", "blank"],
    ['{"title": "<b>JSON</b> with markup in a string"}', "JSON"],
    [
      '<?xml version="1.0"?>\n<!-- feed -->\n<rss version="2.0"><channel><item/></channel></rss>',
      "an RSS feed",
    ],
    ['<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>', "an Atom feed"],
    ['<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url/></urlset>', "a sitemap"],
    ['<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>', "an SVG image"],
  ])("refuses %j as %s", (text, reason) => {
    expect(textReason(text)).toBe(reason);
  });

  it("stays linear on a text of unclosed brackets", () => {
    const started = performance.now();
    expect(textReason("<a ".repeat(200_000))).toBe("text with no markup");
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("htmlOfPage", () => {
  it("throws INPUT_NOT_HTML naming the source and what it is", () => {
    let thrown: unknown;
    try {
      htmlOfPage(utf8("%PDF-1.4 …"), "text/html", "story.html");
    } catch (error) {
      thrown = error;
    }
    expect(hasErrorCode(thrown, "INPUT_NOT_HTML")).toBe(true);
    expect((thrown as Error).message).toBe("story.html is a PDF document, not HTML");
  });
});
