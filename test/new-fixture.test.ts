import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  expectedView,
  FIXTURES_DIR,
  listFixtureCases,
  parseFixture,
  readExpected,
} from "./support/fixtures.js";
import { caseSlugFor, DESCRIPTION_PLACEHOLDER, runNewFixture } from "./support/new-fixture.js";

const WSJ_URL =
  "https://www.wsj.com/world/europe/russia-pushes-ukrainian-forces-back-in-kursk-after-u-s-halts-support-5d2e8b71?mod=hp_lead_pos2";
const WSJ_SOURCE = path.join(FIXTURES_DIR, "wsj.com", "kursk-origin", "source.html");

function run(argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const code = runNewFixture(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

describe("npm run fixtures:new", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "copydesk-fixtures-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("scaffolds <host>/<case>/ with the page, its fixture.json and the current extractor's expected.json", () => {
    const result = run(["--root", root, "--fetched-at", "2025-03-11T06:00:00Z", WSJ_URL, WSJ_SOURCE]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const dir = path.join(
      root,
      "wsj.com",
      "russia-pushes-ukrainian-forces-back-in-kursk-after-u-s-halts-support-5d2e8b71",
    );
    expect(result.stdout).toContain(dir);
    expect(readFileSync(path.join(dir, "source.html"))).toEqual(readFileSync(WSJ_SOURCE));
    expect(JSON.parse(readFileSync(path.join(dir, "fixture.json"), "utf8"))).toEqual({
      url: WSJ_URL,
      fetchedAt: "2025-03-11T06:00:00.000Z",
      contentType: "text/html",
      description: DESCRIPTION_PLACEHOLDER,
    });
    const [created, ...others] = listFixtureCases(root);
    expect(others).toEqual([]);
    if (!created) throw new Error("no case listed");
    const expected = readExpected(created);
    expect(expected).toEqual(expectedView(parseFixture(created, "tree")));
    expect(expected.extractor).toEqual({ rule: "wsj.com@2025-01-01" });
  });

  it("refuses to overwrite a case, with one line and exit 2", () => {
    expect(run(["--root", root, "--case", "kursk", WSJ_URL, WSJ_SOURCE]).code).toBe(0);
    const fixtureJson = path.join(root, "wsj.com", "kursk", "fixture.json");
    const before = readFileSync(fixtureJson, "utf8");
    const again = run(["--root", root, "--case", "kursk", "--fetched-at", "2026-01-01", WSJ_URL, WSJ_SOURCE]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^copydesk: INPUT_INVALID: .*kursk already exists[^\n]*\n$/);
    expect(readFileSync(fixtureJson, "utf8")).toBe(before);
  });

  it.each([
    [["https://www.example.com/a"], "INPUT_INVALID"],
    [["ftp://example.com/a", WSJ_SOURCE], "INPUT_BAD_URL"],
    [["https://www.example.com/a", "/nonexistent/page.html"], "INPUT_UNREADABLE"],
    [["--case", "Not A Slug", "https://www.example.com/a", WSJ_SOURCE], "INPUT_INVALID"],
    [["--fetched-at", "yesterday", "https://www.example.com/a", WSJ_SOURCE], "INPUT_INVALID"],
    [["--bogus", "https://www.example.com/a", WSJ_SOURCE], "INPUT_INVALID"],
  ])("rejects %j with one line, exit 2, and creates nothing", (argv, code) => {
    const result = run(["--root", root, ...argv]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^copydesk: ${code}: [^\\n]+\\n$`));
    expect(listFixtureCases(root)).toEqual([]);
  });

  it("names the case after the URL's last path segment", () => {
    expect(caseSlugFor("https://www.example-news.com/2024/05/01/Harbour_Bridge-Reopens.html")).toBe(
      "harbour-bridge-reopens",
    );
    expect(caseSlugFor("https://www.example-news.com/world/")).toBe("world");
    expect(caseSlugFor("https://www.example-news.com/")).toBe("front-page");
  });

  it("prints its usage with --help", () => {
    const help = run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npm run fixtures:new -- <url> <file.html>");
  });

  it("runs as a process: npm run fixtures:new, bad input exits 2 with one line", () => {
    const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(scripts["fixtures:new"]).toBe("tsx test/new-fixture.ts");
    const bad = spawnSync(
      process.execPath,
      ["--import", "tsx", "test/new-fixture.ts", "--root", root, "not a url", WSJ_SOURCE],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^copydesk: INPUT_BAD_URL: [^\n]+\n$/);
  });
});
