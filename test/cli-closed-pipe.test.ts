import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteArticleStore } from "../src/store/sqlite/sqlite-store.js";
import { repoRoot } from "./support/cli.js";
import { fillerText, makeRecord } from "./support/records.js";

// `copydesk export | head` and `copydesk extract <dir> | head`: the reader takes the first bytes
// and closes the pipe while the command still has lines to write.
const work = mkdtempSync(path.join(tmpdir(), "copydesk-closed-pipe-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI with stdout a real pipe whose reading end is closed once the first bytes arrive. */
function runIntoHead(
  args: string[],
  dataDir: string,
): Promise<{ status: number | null; received: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      cwd: repoRoot,
      env: { ...inherited, COPYDESK_DATA_DIR: dataDir, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let received = 0;
    let stderr = "";
    child.stdout.once("data", (chunk: Buffer) => {
      received = chunk.length;
      child.stdout.destroy();
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, received, stderr }));
  });
}

describe("a reader that closes stdout early", () => {
  it("ends copydesk export quietly, with status 0", async () => {
    const dataDir = path.join(work, "export");
    mkdirSync(dataDir);
    const store = await SqliteArticleStore.open(path.join(dataDir, "copydesk.sqlite"));
    // About 2 MB of lines: several of export's 256 KiB writes, far more than a pipe holds.
    for (let index = 0; index < 80; index++) {
      await store.upsertArticle(
        makeRecord(`https://a.example/${index}`, { body: fillerText(index + 1, 2_500) }),
      );
    }
    await store.close();
    const result = await runIntoHead(["export"], dataDir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.received).toBeGreaterThan(0);
  }, 60_000);

  it("stops a batch early, quietly, and says so in its summary", async () => {
    const site = path.join(work, "site");
    mkdirSync(site);
    const pages = 150;
    for (let index = 0; index < pages; index++) {
      const paragraphs = `<p>${fillerText(index + 1, 200)}</p>`;
      writeFileSync(
        path.join(site, `page-${index}.html`),
        `<!doctype html><html lang="en"><head><title>Story ${index}</title></head><body><article><h1>Story ${index}</h1>${paragraphs}</article></body></html>`,
      );
    }
    const result = await runIntoHead(["extract", site, "--threads", "1", "--json"], path.join(work, "batch"));
    expect(result.status, result.stderr).toBe(0);
    const summaryLines = result.stderr.trim().split("\n");
    expect(summaryLines).toHaveLength(1);
    const summary = JSON.parse(summaryLines[0] ?? "{}") as { stoppedEarly: boolean; pages: number };
    expect(summary.stoppedEarly).toBe(true);
    expect(summary.pages).toBeLessThan(pages);
  }, 180_000);
});
