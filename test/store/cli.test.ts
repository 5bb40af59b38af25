import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { ExportLineSchema } from "../../src/domain/export-line.js";
import { SQLITE_MIGRATIONS } from "../../src/store/sqlite/migrations.js";
import { SqliteArticleStore } from "../../src/store/sqlite/sqlite-store.js";
import { makeRecord } from "../support/records.js";

const root = mkdtempSync(path.join(tmpdir(), "copydesk-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

/** Runs the real CLI in a child process (one end-to-end check: NDJSON through a pipe). */
function spawnCli(
  args: string[],
  dataDir: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const env = { ...inherited, COPYDESK_DATA_DIR: dataDir, LOG_LEVEL: "silent" };
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs the CLI in this process with stdout and stderr captured (loading it once keeps this fast). */
async function run(
  args: string[],
  dataDir: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  process.env.COPYDESK_DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

const newDataDir = () => path.join(root, `data-${++dirs}`);

describe("store commands", () => {
  it("migrate applies the schema once and reports it", async () => {
    const dataDir = newDataDir();
    const first = await run(["migrate"], dataDir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("applied 1: ");
    const latest = SQLITE_MIGRATIONS.length;
    expect(first.stdout).toContain(`sqlite schema 0 → ${latest}`);
    const again = await run(["migrate", "--json"], dataDir);
    expect(JSON.parse(again.stdout)).toEqual({ backend: "sqlite", from: latest, to: latest, applied: [] });
  }, 30_000);

  it("export streams NDJSON records, filtered by site and since; bad input exits 2 with one line", async () => {
    const dataDir = newDataDir();
    const store = await SqliteArticleStore.open(path.join(dataDir, "copydesk.sqlite"));
    for (const url of ["https://a.example/1", "https://a.example/2", "https://www.b.example/1"]) {
      await store.upsertArticle(makeRecord(url));
    }
    await store.upsertArticle(makeRecord("https://a.example/1", { body: "Revised." }));
    const stored = await Promise.all(
      ["https://a.example/2", "https://www.b.example/1", "https://a.example/1"].map((url) =>
        store.getArticleByUrl(url),
      ),
    );
    await store.close();
    const all = await spawnCli(["export"], dataDir);
    expect(all.code, all.stderr).toBe(0);
    // One {articleId, storyId, revision, updatedAt, record} per line, oldest change first.
    const lines = all.stdout
      .trim()
      .split("\n")
      .map((line) => ExportLineSchema.strict().parse(JSON.parse(line)));
    expect(lines).toEqual(
      stored.map((article) => ({
        articleId: article?.articleId,
        storyId: article?.storyId,
        revision: article?.revision,
        updatedAt: article?.updatedAt,
        record: article?.record,
      })),
    );
    expect(lines.map((line) => [line.record.url, line.revision])).toEqual([
      ["https://a.example/2", 1],
      ["https://www.b.example/1", 1],
      ["https://a.example/1", 2],
    ]);
    expect(all.stderr).toBe("");
    const site = await run(["export", "--site", "b.example"], dataDir);
    expect(site.stdout.trim().split("\n")).toHaveLength(1);
    const future = await run(["export", "--since", "2999-01-01"], dataDir);
    expect(future.stdout).toBe("");
    const bad = await run(["export", "--since", "last tuesday"], dataDir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("INPUT_INVALID");
  }, 30_000);

  it("reextract rebuilds records from snapshots without fetching", async () => {
    const dataDir = newDataDir();
    const url = "https://news.example/2024/05/01/harbour-bridge";
    const paragraphs = Array.from(
      { length: 6 },
      (_, i) =>
        `<p>Paragraph ${i + 1} of the harbour bridge story: engineers said the repairs would take most of the winter, and commuters should plan for longer journeys across the city while the work goes on.</p>`,
    ).join("");
    const html = `<!doctype html><html lang="en"><head><title>Harbour bridge repairs to last all winter</title>
      <link rel="canonical" href="${url}"><meta property="og:title" content="Harbour bridge repairs to last all winter">
      </head><body><article><h1>Harbour bridge repairs to last all winter</h1><p class="byline">By Ann Lee</p>${paragraphs}</article></body></html>`;
    const raw = Buffer.from(html, "utf8");
    const store = await SqliteArticleStore.open(path.join(dataDir, "copydesk.sqlite"));
    await store.putSnapshot({
      url,
      requestedUrl: url,
      finalUrl: url,
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8" },
      charset: "utf-8",
      contentType: "text/html",
      etag: '"v1"',
      lastModified: null,
      fetchedAt: "2024-05-01T10:00:00.000Z",
      bytes: raw.byteLength,
      bodyGzip: gzipSync(raw),
    });
    await store.close();
    const first = await run(["reextract", "--json"], dataDir);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ pages: 1, outcomes: { created: 1 }, failed: [] });
    const again = await run(["reextract", "--site", "news.example", "--since", "2024-05-01"], dataDir);
    expect(again.stdout).toContain("reextracted 1 pages: 0 revised, 1 unchanged");
    const none = await run(["reextract", "--json", "--site", "other.example"], dataDir);
    expect(JSON.parse(none.stdout)).toMatchObject({ pages: 0 });
    const reopened = await SqliteArticleStore.open(path.join(dataDir, "copydesk.sqlite"));
    const article = await reopened.getArticleByUrl(url);
    expect(article?.record.title).toBe("Harbour bridge repairs to last all winter");
    expect(article?.record.fetchedAt).toBe("2024-05-01T10:00:00.000Z");
    await reopened.close();
  }, 30_000);

  it("each command has help", async () => {
    for (const command of ["migrate", "export", "reextract"]) {
      const help = await run([command, "--help"], newDataDir());
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: copydesk ${command}`);
    }
  }, 30_000);
});
