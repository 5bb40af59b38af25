import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { listFixtureCases } from "../support/fixtures.js";
import { startHttpServer, type TestServer } from "../support/http-fixture-server.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI_ENV = { COPYDESK_ALLOW_HOSTS: "127.0.0.1", COPYDESK_HOST_DELAY_MS: "0" };
const fixtures = listFixtureCases();

/** Runs the CLI in this process and returns what it printed. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
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

/** Drops the two clock fields, which differ between any two runs. */
function withoutClock(json: string): Record<string, unknown> {
  const {
    fetchedAt: _fetchedAt,
    extractedAt: _extractedAt,
    ...rest
  } = JSON.parse(json) as Record<string, unknown>;
  return rest;
}

describe("copydesk fetch and ingest", () => {
  let server: TestServer;
  let dir: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    for (const [key, value] of Object.entries(CLI_ENV)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    dir = mkdtempSync(path.join(tmpdir(), "copydesk-fetch-"));
    server = await startHttpServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://x");
      const fixture = fixtures.find((entry) => `/${entry.name}/` === url.pathname);
      if (fixture) {
        response.writeHead(200, { "content-type": fixture.contentType ?? "text/html" });
        response.end(readFileSync(path.join(fixture.dir, "source.html")));
        return;
      }
      if (url.pathname === "/latin") {
        response.writeHead(200, { "content-type": "text/html; charset=windows-1252", etag: '"e1"' });
        response.end(
          iconv.encode('<html><head><meta charset="windows-1252"></head><p>Café “x”</p></html>', "win1252"),
        );
        return;
      }
      if (url.pathname === "/moved") {
        response.writeHead(301, { location: "/latin" });
        response.end();
        return;
      }
      response.writeHead(404);
      response.end();
    });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("prints a summary, or JSON, and writes the page as UTF-8", async () => {
    const out = path.join(dir, "latin.html");
    const text = await cli(["fetch", server.url("/moved"), "--out", out]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^200 http:\/\/127\.0\.0\.1:\d+\/latin\n/);
    expect(text.stdout).toContain("redirect 1");
    expect(text.stdout).toContain("text/html (windows-1252)");
    const written = readFileSync(out, "utf8");
    expect(written.startsWith("\ufeff<html>")).toBe(true);
    expect(written).toContain("Café “x”");

    const json = await cli(["fetch", server.url("/latin"), "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      kind: "page",
      status: 200,
      charset: "windows-1252",
      etag: '"e1"',
    });
  });

  it("fails with one line and exit code 2 on a typed error", async () => {
    const missing = await cli(["fetch", server.url("/nope")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^copydesk: FETCH_HTTP_PERMANENT: .*404\n$/);
    const blocked = await cli(["fetch", "http://169.254.169.254/latest/meta-data/"]);
    expect(blocked.stderr).toMatch(/^copydesk: FETCH_BLOCKED_ADDRESS: .*link-local/);
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    "ingest of %s equals extract of the same file",
    async (_name, fixture) => {
      const url = server.url(`/${fixture.name}/`);
      const ingested = await cli(["ingest", url]);
      expect(ingested.code, ingested.stderr).toBe(0);
      const args = ["extract", path.join(fixture.dir, "source.html"), "--url", url];
      if (fixture.contentType) args.push("--content-type", fixture.contentType);
      const extracted = await cli(args);
      expect(extracted.code, extracted.stderr).toBe(0);
      expect(withoutClock(ingested.stdout)).toEqual(withoutClock(extracted.stdout));
    },
  );

  it("runs as a real process that exits on its own", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "fetch", server.url("/latin"), "--json"],
      { cwd: ROOT, env: { ...process.env, ...CLI_ENV }, timeout: 20_000 },
    );
    expect(JSON.parse(stdout).status).toBe(200);
  });
});
