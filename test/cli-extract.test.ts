import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ArticleRecordSchema } from "../src/domain/article.js";
import { runCopydesk } from "./support/cli.js";

/** The CLI in a child that does not block this process, so each test's own time limit holds. */
function copydesk(args: string[], input?: string | Buffer, env: NodeJS.ProcessEnv = {}) {
  return runCopydesk(args, { ...(input !== undefined ? { input } : {}), env });
}

describe("copydesk extract", () => {
  it("prints a valid record for a fixture page", async () => {
    const result = await copydesk([
      "extract",
      "fixtures/sites/wsj.com/kursk-origin/source.html",
      "--url",
      "https://www.wsj.com/world/europe/russia-pushes-ukrainian-forces-back-in-kursk-after-u-s-halts-support-5d2e8b71",
      "--fetched-at",
      "2025-03-11T06:00:00Z",
    ]);
    expect(result.status).toBe(0);
    const record = ArticleRecordSchema.parse(JSON.parse(result.stdout));
    expect(record.authors).toEqual(["Marta Kovalenko", "Daniel Whitcombe"]);
    expect(record.provenance.map((p) => p.role)).toEqual(["origin"]);
  });

  it("reads standard input", async () => {
    const html = `<html><head><title>T</title></head><body><article><h1>Hello</h1>${"<p>Words of a story that is long enough to count as one, with sentences.</p>".repeat(8)}</article></body></html>`;
    const result = await copydesk(["extract", "-", "--url", "https://example.org/a"], html);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).body.text).toContain("Words of a story");
  });

  it("exits 2 with one readable line for a missing file", async () => {
    const result = await copydesk(["extract", "no/such/file.html", "--url", "https://example.org/a"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/INPUT_UNREADABLE: cannot read no\/such\/file.html/);
    expect(result.stderr).not.toMatch(/\bat .+\.ts:\d+/);
  });

  it("exits 2 for a URL that is not http(s)", async () => {
    const result = await copydesk(["extract", "-", "--url", "file:///etc/passwd"], "<p>x</p>");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/INPUT_BAD_URL/);
  });

  it("exits 2 when --url is missing", async () => {
    const result = await copydesk(["extract", "-"], "<p>x</p>");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--url/);
  });

  // 100,000 unclosed paragraphs: about 5 s of parsing at a load of 1 (linkedom), ten times the
  // limit set here, so the page is still running when its thread is ended, however loaded the machine.
  it("ends a pathological page at the extraction time limit: exit 2, one line", {
    timeout: 60_000,
  }, async () => {
    const html = `<html><head><title>T</title></head><body><article>${"<p>x".repeat(100_000)}</article></body></html>`;
    const result = await copydesk(["extract", "-", "--url", "https://example.org/a"], html, {
      COPYDESK_EXTRACT_TIMEOUT_MS: "500",
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^copydesk: EXTRACT_TIMEOUT: extraction ran past 500 ms/);
  });

  it.each(["0", "-5", "1.5", "soon"])(
    "refuses COPYDESK_EXTRACT_TIMEOUT_MS=%s: exit 2, one line",
    async (value) => {
      const result = await copydesk(["extract", "-", "--url", "https://example.org/a"], "<p>x</p>", {
        COPYDESK_EXTRACT_TIMEOUT_MS: value,
      });
      expect(result.status).toBe(3);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim().split("\n")).toEqual([
        `copydesk: CONFIG_INVALID: invalid environment: COPYDESK_EXTRACT_TIMEOUT_MS: expected a positive whole number of milliseconds, got "${value}"`,
      ]);
    },
  );
});

describe("copydesk extract: input that is not HTML", () => {
  const work = mkdtempSync(path.join(tmpdir(), "copydesk-extract-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const story = `<html><head><title>T</title></head><body><article><h1>Hello</h1><p>A <b>bold</b> start.</p>${"<p>Words of a story that is long enough to count as one, with sentences.</p>".repeat(8)}</article></body></html>`;

  it.each([
    ["a PNG", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), "is a PNG image"],
    ["a PDF", Buffer.from("%PDF-1.7\n1 0 obj\n", "latin1"), "is a PDF document"],
    [
      "a gzip file",
      Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]),
      "is gzip-compressed data (gunzip it first)",
    ],
    [
      "bytes with NULs",
      Buffer.from("<html>\u0000\u0001\u0002</html>", "latin1"),
      "is binary data (it has NUL bytes)",
    ],
    [
      "a text with no markup",
      Buffer.from("Dear editor,\nthis letter has no markup at all.\n"),
      "is text with no markup",
    ],
  ])(
    "exits 2 with one INPUT_NOT_HTML line for %s, whatever the file is called",
    async (_what, bytes, reason) => {
      const file = path.join(work, "story.html");
      writeFileSync(file, bytes);
      const result = await copydesk(["extract", file, "--url", "https://example.org/a"]);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(`copydesk: INPUT_NOT_HTML: ${file} ${reason}, not HTML\n`);
    },
  );

  it("sniffs standard input too", async () => {
    const result = await copydesk(
      ["extract", "-", "--url", "https://example.org/a"],
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("copydesk: INPUT_NOT_HTML: standard input is a JPEG image, not HTML\n");
  });

  it("extracts a page saved under any name: the bytes decide", async () => {
    const file = path.join(work, "saved.txt");
    writeFileSync(file, story);
    const result = await copydesk(["extract", file, "--url", "https://example.org/a", "--compact"]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expect(ArticleRecordSchema.parse(JSON.parse(result.stdout)).title).toBe("T");
  });

  it("prints one page's body as Markdown or as text with --format", async () => {
    const markdown = await copydesk(
      ["extract", "-", "--url", "https://example.org/a", "--format", "markdown"],
      story,
    );
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toMatch(/^A \*\*bold\*\* start\.$/m);
    expect(markdown.stdout.endsWith("sentences.\n")).toBe(true);
    const text = await copydesk(
      ["extract", "-", "--url", "https://example.org/a", "--format", "text"],
      story,
    );
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^A bold start\.\n\nWords of a story/m);
    const bad = await copydesk(["extract", "-", "--url", "https://example.org/a", "--format", "yaml"], story);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("copydesk: INPUT_INVALID: --format must be json, markdown or text, got yaml\n");
  });
});
