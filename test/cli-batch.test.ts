import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArticleRecordSchema } from "../src/domain/article.js";
import { type CliResult, ndjson, repoRoot, runCopydesk } from "./support/cli.js";
import { startHttpServer, type TestServer } from "./support/http-fixture-server.js";
import { writeWarc } from "./support/warc.js";

// Every batch here runs its extraction threads from TypeScript (each thread loads tsx and the
// parser), which takes seconds on a loaded 2-core machine: generous limits, no sleeps.
const BATCH_TIMEOUT = 180_000;

const work = mkdtempSync(path.join(tmpdir(), "copydesk-batch-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const PDF = Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "latin1");

/** A small made-up article: a headline, a lead with **bold** and a list, enough paragraphs to count. */
function articlePage(title: string, options: { canonical?: string } = {}): string {
  const canonical = options.canonical ? `<link rel="canonical" href="${options.canonical}">` : "";
  const paragraphs = Array.from(
    { length: 6 },
    (_, index) => `<p>Paragraph ${index + 1} of ${title}: a sentence long enough to read as a story.</p>`,
  ).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${canonical}</head><body><article><h1>${title}</h1><p>The <b>lead</b> of ${title}, in a sentence that says what happened.</p><ul><li>first point</li><li>second point</li></ul>${paragraphs}</article></body></html>`;
}

const byLine = (lines: Record<string, unknown>[]) =>
  [...lines].sort((a, b) => String(a.source).localeCompare(String(b.source)));
const errorCode = (line: Record<string, unknown>) => (line.error as { code?: string } | undefined)?.code;
const errorMessage = (line: Record<string, unknown> | undefined) =>
  (line?.error as { message?: string } | undefined)?.message;
const lastLineJson = (result: CliResult) => JSON.parse(result.stderr.trim().split("\n").at(-1) ?? "{}");

describe("copydesk extract <dir>", () => {
  const site = path.join(work, "site");
  beforeAll(() => {
    mkdirSync(path.join(site, "world"), { recursive: true });
    writeFileSync(
      path.join(site, "one.html"),
      articlePage("Storm reaches the coast", { canonical: "https://news.example.org/storm" }),
    );
    writeFileSync(
      path.join(site, "world", "two.htm"),
      articlePage("Talks resume", { canonical: "https://news.example.org/world/talks" }),
    );
    writeFileSync(path.join(site, "no-canonical.html"), articlePage("A page that names no URL"));
    writeFileSync(path.join(site, "logo.html"), PNG);
    writeFileSync(path.join(site, "notes.html"), "Meeting notes: nothing here is markup.\n");
    writeFileSync(path.join(site, "readme.txt"), "not walked: neither .html nor .htm");
  });

  it("prints one NDJSON line per page, errors as lines with their code, and a JSON summary on stderr", {
    timeout: BATCH_TIMEOUT,
  }, async () => {
    const result = await runCopydesk([
      "extract",
      site,
      "--threads",
      "2",
      "--json",
      "--fetched-at",
      "2025-03-11T06:00:00Z",
    ]);
    expect(result.status).toBe(0);
    const lines = byLine(ndjson(result.stdout));
    expect(lines.map((line) => path.relative(site, String(line.source)))).toEqual([
      "logo.html",
      "no-canonical.html",
      "notes.html",
      "one.html",
      path.join("world", "two.htm"),
    ]);
    const [logo, noCanonical, notes, one, two] = lines;
    expect(errorCode(logo ?? {})).toBe("INPUT_NOT_HTML");
    expect(errorMessage(logo)).toMatch(/logo\.html is a PNG image, not HTML$/);
    expect(errorCode(notes ?? {})).toBe("INPUT_NOT_HTML");
    expect(errorMessage(notes)).toMatch(/is text with no markup, not HTML$/);
    expect(errorCode(noCanonical ?? {})).toBe("INPUT_BAD_URL");
    const records = [one, two].map((line) => ArticleRecordSchema.parse(line?.record));
    expect(records.map((record) => record.url)).toEqual([
      "https://news.example.org/storm",
      "https://news.example.org/world/talks",
    ]);
    expect(records[0]?.title).toBe("Storm reaches the coast");
    expect(records[0]?.fetchedAt).toBe("2025-03-11T06:00:00.000Z");

    // Piped stderr: no progress bar, only the summary.
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    const summary = lastLineJson(result);
    expect(summary).toMatchObject({
      pages: 5,
      records: 2,
      errors: 3,
      errorsByCode: { INPUT_BAD_URL: 1, INPUT_NOT_HTML: 2 },
      threads: 2,
      skipped: 0,
    });
    expect(summary.pagesPerSecond).toBeGreaterThan(0);
  });

  it("names each page by --base-url plus its path, and prints the body as text or Markdown in a field", {
    timeout: BATCH_TIMEOUT,
  }, async () => {
    const files = [path.join(site, "no-canonical.html"), path.join(site, "one.html")];
    const text = await runCopydesk([
      "extract",
      ...files,
      "--base-url",
      "https://mirror.example.net/saved/",
      "--format",
      "text",
      "--threads",
      "1",
    ]);
    expect(text.status).toBe(0);
    const textLines = byLine(ndjson(text.stdout));
    expect(textLines.map((line) => line.url)).toEqual([
      "https://mirror.example.net/saved/no-canonical.html",
      // The page's own canonical URL is on another site: the record keeps the URL it was read from.
      "https://mirror.example.net/saved/one.html",
    ]);
    expect(textLines[0]).toMatchObject({ title: "A page that names no URL", language: "en" });
    expect(String(textLines[0]?.text)).toMatch(/^The lead of A page that names no URL, in a sentence/m);
    expect(textLines[0]).not.toHaveProperty("record");
    // Human summary on stderr when --json is not given.
    expect(text.stderr).toMatch(
      /^copydesk extract: 2 pages in \d+\.\d s \([\d.]+ pages\/s on 1 thread\): 2 records, 0 errors\n$/,
    );

    const markdown = await runCopydesk(["extract", site, "--format", "markdown", "--threads", "1"]);
    expect(markdown.status).toBe(0);
    const one = ndjson(markdown.stdout).find((line) => String(line.source).endsWith("one.html"));
    expect(one?.markdown).toMatch(/The \*\*lead\*\* of Storm reaches the coast/);
    expect(one?.markdown).toMatch(/^- first point$/m);
  });

  it("exits 2 for a folder with no pages, and for --url given to a batch", async () => {
    const empty = path.join(work, "empty");
    mkdirSync(empty, { recursive: true });
    const none = await runCopydesk(["extract", empty]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^copydesk: INPUT_INVALID: no \.html or \.htm files in .*empty\n$/);
    const withUrl = await runCopydesk(["extract", site, "--url", "https://example.org/a"]);
    expect(withUrl.status).toBe(2);
    expect(withUrl.stderr).toMatch(/^copydesk: INPUT_INVALID: --url names one page; .*--base-url/);
  });
});

describe("copydesk extract --warc", () => {
  const responses = [
    { url: "https://news.example.org/storm", body: articlePage("Storm reaches the coast") },
    {
      url: "https://news.example.org/talks",
      body: articlePage("Talks resume"),
      date: "2025-03-12T08:30:00Z",
    },
    { url: "https://news.example.org/logo.png", body: PNG, contentType: "image/png" },
    { url: "https://news.example.org/gone", body: "<html><body>Not found</body></html>", status: 404 },
    // Says HTML, is a PDF: refused by its bytes.
    { url: "https://news.example.org/report", body: PDF },
  ];

  it.each([
    ["plain", false],
    ["gzip", true],
  ])(
    "reads the HTML responses of a %s WARC, passes over the rest, and refuses a PDF sent as HTML",
    { timeout: BATCH_TIMEOUT },
    async (_kind, gzip) => {
      const file = path.join(work, `crawl-${_kind}.warc${gzip ? ".gz" : ""}`);
      await writeWarc(file, responses, { gzip });
      const result = await runCopydesk([
        "extract",
        "--warc",
        file,
        "--format",
        "markdown",
        "--threads",
        "2",
        "--json",
      ]);
      expect(result.status).toBe(0);
      const lines = ndjson(result.stdout).sort((a, b) => String(a.url).localeCompare(String(b.url)));
      expect(lines.map((line) => [line.url, errorCode(line) ?? "record"])).toEqual([
        ["https://news.example.org/report", "INPUT_NOT_HTML"],
        ["https://news.example.org/storm", "record"],
        ["https://news.example.org/talks", "record"],
      ]);
      for (const line of lines)
        expect(String(line.source)).toMatch(new RegExp(`^${file.replace(/[.]/g, "\\.")}@\\d+$`));
      expect(lines[2]).toMatchObject({ title: "Talks resume", publishedAt: null });
      expect(String(lines[2]?.markdown)).toMatch(/^# Talks resume|The \*\*lead\*\* of Talks resume/m);
      const summary = lastLineJson(result);
      expect(summary).toMatchObject({
        pages: 3,
        records: 2,
        errors: 1,
        errorsByCode: { INPUT_NOT_HTML: 1 },
        skipped: 8,
        skippedByReason: { "warcinfo record": 1, "request record": 5, "image/png": 1, "HTTP 404": 1 },
      });
    },
  );

  it("keeps each record's WARC-Date as the record's fetchedAt", { timeout: BATCH_TIMEOUT }, async () => {
    const file = path.join(work, "dates.warc");
    await writeWarc(file, responses.slice(1, 2), { gzip: false });
    const result = await runCopydesk(["extract", "--warc", file, "--threads", "1"]);
    expect(result.status).toBe(0);
    const [line] = ndjson(result.stdout);
    expect(ArticleRecordSchema.parse(line?.record).fetchedAt).toBe("2025-03-12T08:30:00.000Z");
  });

  it("exits 2 with one line for a file that is not a WARC, and for a missing one", async () => {
    const notWarc = path.join(work, "page.html");
    writeFileSync(notWarc, articlePage("Not an archive"));
    const result = await runCopydesk(["extract", "--warc", notWarc]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^copydesk: INPUT_INVALID: .*page\.html is not a WARC file/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    const missing = await runCopydesk(["extract", "--warc", path.join(work, "none.warc.gz")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^copydesk: INPUT_UNREADABLE: cannot read .*none\.warc\.gz \(ENOENT\)\n$/);
  });
});

describe("copydesk ingest --urls", () => {
  let server: TestServer;
  const requests: string[] = [];
  beforeAll(async () => {
    server = await startHttpServer((request, response) => {
      requests.push(request.url ?? "");
      const pages: Record<string, string> = {
        "/storm": articlePage("Storm reaches the coast"),
        "/talks": articlePage("Talks resume"),
      };
      const page = pages[request.url ?? ""];
      if (page) {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        response.end(page);
      } else if (request.url === "/chart") {
        // A server that labels an image as HTML: the bytes say otherwise.
        response.writeHead(200, { "content-type": "text/html" });
        response.end(PNG);
      } else {
        response.writeHead(404, { "content-type": "text/plain" });
        response.end("not found");
      }
    });
  });
  afterAll(() => server.close());

  const env = () => ({ COPYDESK_ALLOW_HOSTS: "127.0.0.1", COPYDESK_HOST_DELAY_MS: "0" });

  it("fetches every URL of a list and prints a line per page, failures with their codes", {
    timeout: BATCH_TIMEOUT,
  }, async () => {
    const list = path.join(work, "urls.txt");
    writeFileSync(
      list,
      [
        "# today's pages",
        server.url("/storm"),
        "",
        server.url("/talks"),
        server.url("/chart"),
        server.url("/missing"),
        "ftp://example.org/file",
      ].join("\n"),
    );
    const result = await runCopydesk(
      ["ingest", "--urls", list, "--format", "text", "--threads", "1", "--json"],
      { env: env() },
    );
    expect(result.status).toBe(0);
    const lines = ndjson(result.stdout);
    const outcome = Object.fromEntries(lines.map((line) => [line.source, errorCode(line) ?? line.title]));
    expect(outcome).toEqual({
      [server.url("/storm")]: "Storm reaches the coast",
      [server.url("/talks")]: "Talks resume",
      [server.url("/chart")]: "INPUT_NOT_HTML",
      [server.url("/missing")]: "FETCH_HTTP_PERMANENT",
      "ftp://example.org/file": "INPUT_BAD_URL",
    });
    expect(lastLineJson(result)).toMatchObject({ pages: 5, records: 2, errors: 3 });
  });

  it("exits 2 with INPUT_NOT_HTML when the one URL it fetches is not HTML", {
    timeout: BATCH_TIMEOUT,
  }, async () => {
    const result = await runCopydesk(["ingest", server.url("/chart")], { env: env() });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `copydesk: INPUT_NOT_HTML: ${server.url("/chart")} is a PNG image, not HTML\n`,
    );
  });
});

// script(1) gives the command a terminal for stderr, as a person running it would have.
const hasScript = existsSync("/usr/bin/script");

describe.skipIf(!hasScript)("the progress bar", () => {
  it("is drawn on stderr when it is a terminal, and stdout stays NDJSON", { timeout: BATCH_TIMEOUT }, () => {
    const site = path.join(work, "bar");
    mkdirSync(site, { recursive: true });
    for (const name of ["a", "b", "c"]) {
      writeFileSync(
        path.join(site, `${name}.html`),
        articlePage(name, { canonical: `https://example.org/${name}` }),
      );
    }
    const out = path.join(work, "bar.ndjson");
    const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
    const command = [tsx, path.join(repoRoot, "src/cli/main.ts"), "extract", site, "--threads", "1"]
      .map((part) => `'${part}'`)
      .join(" ");
    const terminal = execFileSync("/usr/bin/script", ["-qec", `${command} > '${out}'`, "/dev/null"], {
      cwd: repoRoot,
      encoding: "utf8",
      // A synchronous child blocks the test's own timer: a hung command must end here, not hang the run.
      timeout: BATCH_TIMEOUT,
      killSignal: "SIGKILL",
    });
    expect(terminal).toMatch(/extract \[[█░]+\] \d\/3 pages/);
    expect(terminal).toMatch(/copydesk extract: 3 pages in/);
    expect(ndjson(readFileSync(out, "utf8"))).toHaveLength(3);
  });
});
