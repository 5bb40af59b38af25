import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ArticleRecordSchema } from "../src/domain/article.js";

const root = path.resolve(import.meta.dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

function copydesk(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(tsx, [path.join(root, "src/cli/main.ts"), ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

describe("copydesk extract", () => {
  it("prints a valid record for a fixture page", () => {
    const result = copydesk([
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

  it("reads standard input", () => {
    const html = `<html><head><title>T</title></head><body><article><h1>Hello</h1>${"<p>Words of a story that is long enough to count as one, with sentences.</p>".repeat(8)}</article></body></html>`;
    const result = copydesk(["extract", "-", "--url", "https://example.org/a"], html);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).body.text).toContain("Words of a story");
  });

  it("exits 2 with one readable line for a missing file", () => {
    const result = copydesk(["extract", "no/such/file.html", "--url", "https://example.org/a"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/INPUT_UNREADABLE: cannot read no\/such\/file.html/);
    expect(result.stderr).not.toMatch(/\bat .+\.ts:\d+/);
  });

  it("exits 2 for a URL that is not http(s)", () => {
    const result = copydesk(["extract", "-", "--url", "file:///etc/passwd"], "<p>x</p>");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/INPUT_BAD_URL/);
  });

  it("exits 2 when --url is missing", () => {
    const result = copydesk(["extract", "-"], "<p>x</p>");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--url/);
  });

  // 100,000 unclosed paragraphs: about 5 s of parsing at a load of 1 (linkedom), ten times the
  // limit set here, so the page is still running when its thread is ended, however loaded the machine.
  it("ends a pathological page at the extraction time limit: exit 2, one line", { timeout: 60_000 }, () => {
    const html = `<html><head><title>T</title></head><body><article>${"<p>x".repeat(100_000)}</article></body></html>`;
    const result = copydesk(["extract", "-", "--url", "https://example.org/a"], html, {
      COPYDESK_EXTRACT_TIMEOUT_MS: "500",
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^copydesk: EXTRACT_TIMEOUT: extraction ran past 500 ms/);
  });
});
