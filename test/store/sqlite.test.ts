import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteArticleStore } from "../../src/store/sqlite/sqlite-store.js";
import { describeStoreContract } from "./contract.js";
import {
  describeStoreMaintenance,
  type MaintenanceDatabase,
  type MaintenanceHarness,
} from "./maintenance.js";

const root = mkdtempSync(path.join(tmpdir(), "copydesk-sqlite-"));
let files = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

function database(file: string): MaintenanceDatabase {
  return {
    open: (options) => SqliteArticleStore.open(file, options),
    async migrateTo(version) {
      const store = await SqliteArticleStore.open(file, { migrate: false });
      await store.migrate({ to: version });
      await store.close();
    },
    async exec(sql) {
      const db = new BetterSqlite3(file);
      db.exec(sql);
      db.close();
    },
    async bulkLoad(count, template) {
      const db = new BetterSqlite3(file);
      const insert = db.prepare(`
        INSERT INTO articles (id, url, site, story_id, story_link, revision, content_hash, title, language,
          paywalled, fetched_at, first_seen_at, last_seen_at, updated_us, record)
        VALUES (?, ?, 'bulk.example', ?, 'founder', 1, ?, ?, 'en', 0, ?, ?, ?, ?, ?)`);
      const story = db.prepare("INSERT INTO stories (id, created_at) VALUES (?, ?)");
      db.transaction(() => {
        for (let i = 0; i < count; i++) {
          const n = String(i);
          const at = "2024-05-01T09:00:00.000Z";
          story.run(`sty_bulk_${n}`, at);
          insert.run(
            `art_bulk_${n}`,
            `https://bulk.example/story/${n}`,
            `sty_bulk_${n}`,
            `hash${n}`,
            `Bulk story ${n}`,
            at,
            at,
            at,
            i + 1,
            template.replaceAll("__N__", n),
          );
        }
        db.prepare("UPDATE store_clock SET last_us = ?").run(count + 1);
      })();
      db.close();
    },
  };
}

const harness: MaintenanceHarness = {
  backend: "sqlite",
  async createDatabase() {
    const file = path.join(root, `store-${++files}`, "copydesk.sqlite");
    await (await SqliteArticleStore.open(file)).close();
    return database(file);
  },
  async createEmptyDatabase() {
    return database(path.join(root, `store-${++files}`, "copydesk.sqlite"));
  },
};

describeStoreContract(harness);
describeStoreMaintenance(harness);

describe("SQLite store", () => {
  it("creates its folder and uses WAL", async () => {
    const file = path.join(root, "nested", "deeper", "copydesk.sqlite");
    const store = await SqliteArticleStore.open(file);
    expect(store.database.pragma("journal_mode", { simple: true })).toBe("wal");
    await store.close();
  });

  it("loses and duplicates nothing with writers in several processes", async () => {
    const file = path.join(root, `store-${++files}`, "copydesk.sqlite");
    await (await SqliteArticleStore.open(file)).close();
    const processes = 4;
    const child = path.join(import.meta.dirname, "sqlite-writer.ts");
    const outputs = await Promise.all(
      Array.from(
        { length: processes },
        (_, w) =>
          new Promise<string>((resolve, reject) => {
            const proc = spawn(process.execPath, ["--import", "tsx", child, file, String(w)], {
              stdio: ["ignore", "pipe", "pipe"],
            });
            let out = "";
            let err = "";
            proc.stdout.on("data", (chunk) => {
              out += chunk;
            });
            proc.stderr.on("data", (chunk) => {
              err += chunk;
            });
            proc.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`writer ${w}: ${err}`))));
          }),
      ),
    );
    const outcomes = outputs.flatMap((out) => JSON.parse(out) as string[]);
    const store = await SqliteArticleStore.open(file);
    const stats = await store.stats();
    // Every writer sent the same 50 URLs with content depending on (url, writer).
    expect(outcomes.filter((o) => o === "created")).toHaveLength(50);
    expect(stats.articles).toBe(50);
    expect(stats.revisions).toBe(outcomes.filter((o) => o !== "unchanged").length);
    expect(stats.stories).toBe(50);
    await store.close();
  }, 60_000);
});
