import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const work = mkdtempSync(path.join(tmpdir(), "copydesk-library-"));
// The package as npm would install it (built by the same tsconfig as `npm run build`, into a
// folder of its own so the checkout's dist/ is left alone), and a consumer depending on it.
const pkg = path.join(work, "copydesk");
const consumer = path.join(work, "consumer");
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  mkdirSync(pkg);
  copyFileSync(path.join(root, "package.json"), path.join(pkg, "package.json"));
  symlinkSync(path.join(root, "node_modules"), path.join(pkg, "node_modules"));
  cpSync(path.join(root, "bin"), path.join(pkg, "bin"), { recursive: true });
  execFileSync(
    process.execPath,
    [
      path.join(root, "node_modules/typescript/bin/tsc"),
      "-p",
      path.join(root, "tsconfig.build.json"),
      "--outDir",
      path.join(pkg, "dist"),
      "--sourceMap",
      "false",
    ],
    { cwd: root, stdio: "pipe" },
  );
  mkdirSync(path.join(consumer, "node_modules"), { recursive: true });
  symlinkSync(pkg, path.join(consumer, "node_modules", "copydesk"));
  writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", type: "module" }));
}, 300_000);

const page = `<!doctype html><html lang="en"><head><title>Harbour bridge reopens</title>
<meta property="og:title" content="Harbour bridge reopens after repairs">
</head><body><article><h1>Harbour bridge reopens after repairs</h1>
${"<p>The bridge carried its first traffic in months on Monday, after engineers finished the repairs.</p>".repeat(8)}
</article></body></html>`;

describe("copydesk as a library", () => {
  it("imports from the package name and extracts a record", () => {
    const script = `
      import { ArticleRecordSchema, EXTRACTOR_VERSION, openStore, parsePage } from "copydesk";
      const record = parsePage({ html: process.env.PAGE, url: "https://www.example-news.com/2024/05/01/bridge", fetchedAt: "2024-05-01T10:00:00Z" });
      ArticleRecordSchema.parse(record);
      const store = await openStore({ sqlitePath: process.env.SQLITE, databaseUrl: undefined });
      const { outcome } = await store.upsertArticle(record);
      await store.close();
      process.stdout.write(JSON.stringify({ title: record.title, body: record.body.text.includes("first traffic in months"), outcome, version: EXTRACTOR_VERSION }));
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: consumer,
      encoding: "utf8",
      env: { ...process.env, PAGE: page, SQLITE: path.join(work, "store.sqlite") },
      // A synchronous child blocks the test's own timer: a hung consumer must end here.
      timeout: 120_000,
      killSignal: "SIGKILL",
    });
    expect(JSON.parse(out)).toEqual({
      title: "Harbour bridge reopens after repairs",
      body: true,
      outcome: "created",
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
  });

  it("exports the export-line schema, which accepts what `copydesk export` writes", () => {
    const dataDir = path.join(work, "export-data");
    // SQLite in a folder of its own, whatever DATABASE_URL the run has.
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const env = { ...inherited, COPYDESK_DATA_DIR: dataDir, LOG_LEVEL: "silent", PAGE: page };
    const consume = (script: string, extra: Record<string, string> = {}) =>
      execFileSync(process.execPath, ["--input-type=module", "-e", script], {
        cwd: consumer,
        encoding: "utf8",
        env: { ...env, ...extra },
        timeout: 120_000,
        killSignal: "SIGKILL",
      });
    consume(`
      import { loadConfig, openStore, parsePage } from "copydesk";
      const store = await openStore(loadConfig());
      await store.upsertArticle(parsePage({ html: process.env.PAGE, url: "https://www.example-news.com/2024/05/01/bridge", fetchedAt: "2024-05-01T10:00:00Z" }));
      await store.close();
    `);
    // The package's own CLI, as npm installs it, writes the lines.
    const exported = execFileSync(process.execPath, [path.join(pkg, "bin", "copydesk.js"), "export"], {
      cwd: consumer,
      encoding: "utf8",
      env,
      timeout: 120_000,
      killSignal: "SIGKILL",
    });
    const out = consume(
      `
      import { EXPORT_LINE_SCHEMA_ID, ExportLineSchema, exportLineJsonSchema } from "copydesk";
      const lines = process.env.LINES.trim().split("\\n").map((text) => ExportLineSchema.parse(JSON.parse(text)));
      const first = lines[0];
      const rejects = (line) => !ExportLineSchema.safeParse(line).success;
      process.stdout.write(JSON.stringify({
        lines: lines.map((line) => [line.record.url, line.revision, line.articleId === line.record.id]),
        updatedAt: first.updatedAt,
        zeroRevision: rejects({ ...first, revision: 0 }),
        noStory: rejects({ ...first, storyId: undefined }),
        offsetDate: rejects({ ...first, updatedAt: "2024-05-01T10:00:00+02:00" }),
        schemaIds: [exportLineJsonSchema().$id, EXPORT_LINE_SCHEMA_ID],
      }));
    `,
      { LINES: exported },
    );
    expect(JSON.parse(out)).toEqual({
      lines: [["https://www.example-news.com/2024/05/01/bridge", 1, true]],
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      zeroRevision: true,
      noStory: true,
      offsetDate: true,
      schemaIds: Array(2).fill("https://copydesk.dev/schemas/export-line.v1.schema.json"),
    });
  }, 120_000);

  it("gives TypeScript consumers its types", () => {
    writeFileSync(
      path.join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2023",
          lib: ["ES2023", "DOM"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          skipLibCheck: true,
          noEmit: true,
          types: [],
        },
        files: ["check.ts"],
      }),
    );
    writeFileSync(
      path.join(consumer, "check.ts"),
      `import { type ArticleRecord, type ArticleStore, createFetcher, type ExportLine, fetchPageOnce, parsePage } from "copydesk";
const record: ArticleRecord = parsePage({ html: "<p>x</p>", url: "https://example.org/a", fetchedAt: "2024-05-01T10:00:00Z" });
const title: string | null = record.title;
// @ts-expect-error: the record has no such field, so the types are the real ones, not any
record.noSuchField;
// @ts-expect-error: an export line's revision is a number
export const line: ExportLine = { articleId: record.id, storyId: "sty_1", revision: "1", updatedAt: "2024-05-01T10:00:00Z", record };
export const used: [string | null, typeof createFetcher, typeof fetchPageOnce, ArticleStore | null] = [title, createFetcher, fetchPageOnce, null];
`,
    );
    execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", consumer], {
      cwd: consumer,
      stdio: "pipe",
    });
  }, 120_000);
});
