import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const work = mkdtempSync(path.join(tmpdir(), "copydesk-startup-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// An ESM resolve hook that appends every resolved URL to a file: what the CLI loaded, whatever
// loaded it from our code (each of these packages is imported from an ES module of ours).
const hooks = path.join(work, "trace-hooks.mjs");
writeFileSync(
  hooks,
  `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(process.env.COPYDESK_TRACE_FILE, resolved.url + "\\n");
  return resolved;
}
`,
);
const register = path.join(work, "trace.mjs");
writeFileSync(
  register,
  `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
);

const HEAVY = [
  "jsdom",
  "htmlparser2",
  "css-select",
  "bullmq",
  "ioredis",
  "fastify",
  "better-sqlite3",
  "pg",
  "undici",
  "zod",
];
let traces = 0;

/** Runs the CLI from its TypeScript source and returns the packages it loaded from node_modules. */
function loadedPackages(args: string[]): { status: number | null; packages: Set<string> } {
  const traceFile = path.join(work, `trace-${traces++}.txt`);
  writeFileSync(traceFile, "");
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--import", pathToFileURL(register).href, "src/cli/main.ts", ...args],
    // A synchronous child blocks the test's own timer: a hung command must end here, not hang the run.
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, COPYDESK_TRACE_FILE: traceFile },
      timeout: 120_000,
      killSignal: "SIGKILL",
    },
  );
  const packages = new Set<string>();
  for (const url of readFileSync(traceFile, "utf8").split("\n")) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match?.[1]) packages.add(match[1]);
  }
  return { status: result.status, packages };
}

describe("CLI start-up", () => {
  it.each([
    [["--help"]],
    [["extract", "--help"]],
    [["worker", "--help"]],
    [["jobs", "failed", "--help"]],
    [["serve", "--nope"]],
    [["no-such-command"]],
  ])("copydesk %j loads none of the heavy packages", (args) => {
    const { status, packages } = loadedPackages(args);
    expect(status).not.toBeNull();
    expect(packages.has("commander")).toBe(true);
    expect(HEAVY.filter((name) => packages.has(name))).toEqual([]);
  });

  it("copydesk --version loads the record's module (zod, where the version lives) and nothing heavier", () => {
    const { status, packages } = loadedPackages(["--version"]);
    expect(status).toBe(0);
    expect(HEAVY.filter((name) => packages.has(name))).toEqual(["zod"]);
  });

  it("copydesk extract runs its extraction pool, and neither the queue, the API, a driver nor zod", () => {
    const { status, packages } = loadedPackages([
      "extract",
      "fixtures/sites/wsj.com/kursk-origin/source.html",
      "--url",
      "https://www.wsj.com/world/europe/russia-pushes-ukrainian-forces-back-in-kursk-after-u-s-halts-support-5d2e8b71",
    ]);
    expect(status).toBe(0);
    // The page is parsed in a thread of the extraction pool (under the workers' limits), whose
    // imports this process's hook does not see; the pool itself loads here. Its one setting is
    // read without config.ts's zod schema (about 0.13 s of CPU, docs/BENCHMARKS.md).
    expect(packages.has("piscina")).toBe(true);
    expect(
      ["bullmq", "ioredis", "fastify", "better-sqlite3", "pg", "undici", "zod"].filter((name) =>
        packages.has(name),
      ),
    ).toEqual([]);
  });
});
