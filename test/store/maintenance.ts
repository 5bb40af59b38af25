import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { CopydeskError } from "../../src/domain/errors.js";
import type { ArticleStore } from "../../src/store/article-store.js";
import { makeRecord } from "../support/records.js";
import type { StoreHarness, TestDatabase } from "./contract.js";

/** What the schema tests need beyond the contract: raw SQL and the older schema of an old copydesk. */
export interface MaintenanceDatabase extends TestDatabase {
  /** Applies migrations up to `version` only, as an older copydesk would have. */
  migrateTo(version: number): Promise<void>;
  /** Runs SQL that both dialects accept. */
  exec(sql: string): Promise<void>;
  /**
   * Writes `count` article rows straight into the current schema (a fast path for volume tests):
   * row i has updated_us = i + 1 and the record JSON `recordTemplate` with __N__ replaced by i.
   */
  bulkLoad(count: number, recordTemplate: string): Promise<void>;
}

export interface MaintenanceHarness extends StoreHarness {
  createDatabase(): Promise<MaintenanceDatabase>;
  createEmptyDatabase(): Promise<MaintenanceDatabase>;
}

/** The newest schema version of each backend (PostgreSQL's 5 adds the ranking keys of its search). */
const LATEST_OF = { sqlite: 4, postgres: 5 } as const;

const sql = (value: string | number | null) =>
  value === null ? "NULL" : typeof value === "number" ? String(value) : `'${value.replace(/'/g, "''")}'`;

/** A live-heap reading after a full collection, so garbage not yet collected does not count. */
function liveHeapBytes(): number {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Record JSON with __N__ where the row number goes: ~2.2 KB, like a short news story. */
export function bulkRecordTemplate(): string {
  const record = makeRecord("https://bulk.example/story/__N__", {
    id: "art_bulk___N__",
    title: "Bulk story __N__",
    body: `Story __N__. ${"Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(12)}`,
  });
  return JSON.stringify(record);
}

export function describeStoreMaintenance(harness: MaintenanceHarness): void {
  const LATEST = LATEST_OF[harness.backend];
  describe(`store schema and volume: ${harness.backend}`, () => {
    const opened: ArticleStore[] = [];
    const track = async (store: Promise<ArticleStore>) => {
      const s = await store;
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it("migrates an empty database to the latest schema", async () => {
      const db = await harness.createEmptyDatabase();
      const store = await track(db.open({ migrate: false }));
      const report = await store.migrate();
      expect(report).toMatchObject({ backend: harness.backend, from: 0, to: LATEST });
      expect(report.applied.map((m) => m.version)).toEqual(Array.from({ length: LATEST }, (_, i) => i + 1));
      expect(await store.stats()).toEqual({ articles: 0, revisions: 0, stories: 0, urls: 0, snapshots: 0 });
      expect((await store.migrate()).applied).toEqual([]);
    });

    for (const start of [1, LATEST - 1]) {
      it(`migrates a database written at schema ${start}, keeping and backfilling its articles`, async () => {
        const db = await harness.createEmptyDatabase();
        await db.migrateTo(start);
        const record = makeRecord("https://old.example/story", {
          title: "Written by copydesk's older schema",
          language: "en-AU",
          paywall: { accessibleForFree: false, truncated: false },
        });
        // Schema 1 had no filter columns (schema 2 backfills them); schema 2 had the first LSH layout.
        let filterColumns = start >= 2 ? ", title, language, paywalled" : "";
        let filterValues = start >= 2 ? `, ${sql(record.title)}, 'en-au', TRUE` : "";
        // From PostgreSQL's schema 4 on, its writers store the search vector beside the record.
        if (harness.backend === "postgres" && start >= 4) {
          filterColumns += ", search";
          filterValues += `, copydesk_search_vector('en-au', ${sql(record.title)}, NULL, ${sql(record.body.text)})`;
        }
        await db.exec(`
          INSERT INTO stories (id, created_at) VALUES ('sty_old', '2024-05-01T09:00:00.000Z');
          INSERT INTO articles (id, url, site, story_id, story_link, story_similarity, revision, content_hash,
            fetched_at, first_seen_at, last_seen_at, updated_us, record${filterColumns})
          VALUES (${sql(record.id)}, ${sql(record.url)}, 'old.example', 'sty_old', 'founder', NULL, 1,
            ${sql(record.contentHash)}, ${sql(record.fetchedAt)}, ${sql(record.fetchedAt)}, ${sql(record.fetchedAt)},
            1714554000000000, ${sql(JSON.stringify(record))}${filterValues});
          INSERT INTO revisions (article_id, revision, content_hash, changed_fields, recorded_at, record)
          VALUES (${sql(record.id)}, 1, ${sql(record.contentHash)}, '[]', ${sql(record.fetchedAt)}, ${sql(JSON.stringify(record))});
          INSERT INTO urls (url, story_id, article_id, kind) VALUES (${sql(record.url)}, 'sty_old', ${sql(record.id)}, 'canonical');
          UPDATE store_clock SET last_us = 1714554000000000;
          ${start >= 2 ? "INSERT INTO sketch_bands (band_key, article_seq) VALUES (4294967297, 1);" : ""}
        `);
        const store = await track(db.open());
        expect((await store.migrate()).from).toBe(LATEST);
        const stored = await store.getArticleByUrl(record.url);
        expect(stored?.record).toEqual(record);
        expect(stored?.storyId).toBe("sty_old");
        expect((await store.listArticles({ limit: 5, language: "en" })).items).toHaveLength(1);
        expect((await store.listArticles({ limit: 5, paywalled: true })).items).toHaveLength(1);
        // Schema 4 backfills the full-text index from the stored records (title and body).
        expect((await store.listArticles({ limit: 5, q: "older schema" })).items).toHaveLength(1);
        expect((await store.listArticles({ limit: 5, q: "body" })).items).toHaveLength(1);
        const revised = await store.upsertArticle(
          makeRecord("https://old.example/story", { body: "Revised after the upgrade.", language: "en-AU" }),
        );
        expect(revised).toMatchObject({ outcome: "revised", revision: 2, storyId: "sty_old" });
        expect(await store.listRevisions(revised.articleId)).toHaveLength(2);
        expect((await store.listArticles({ limit: 5, q: "upgrade" })).items).toHaveLength(1);
      });
    }

    it("refuses to run against a newer schema", async () => {
      const db = await harness.createDatabase();
      await db.exec(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', '2030-01-01T00:00:00.000Z')",
      );
      for (const migrate of [true, false]) {
        const error = await db.open({ migrate }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CopydeskError);
        expect((error as CopydeskError).code).toBe("STORE_SCHEMA_NEWER");
        expect((error as CopydeskError).action).toBe("stop");
      }
    });

    it("exports 100k records as a stream with flat memory", async () => {
      const db = await harness.createDatabase();
      const total = 100_000;
      await db.bulkLoad(total, bulkRecordTemplate());
      const store = await track(db.open());
      expect((await store.stats()).articles).toBe(total);
      const baseline = liveHeapBytes();
      let peak = 0;
      let count = 0;
      let bytes = 0;
      let previous = "";
      for await (const exported of store.exportArticles()) {
        const line = `${JSON.stringify(exported)}\n`;
        bytes += line.length;
        count++;
        // Keyset order (updatedAt, id): row i has updated_us i + 1.
        if (count % 20_000 === 0) {
          expect(exported.articleId).toBe(`art_bulk_${count - 1}`);
          expect(exported.record.id).toBe(`art_bulk_${count - 1}`);
          peak = Math.max(peak, liveHeapBytes() - baseline);
        }
        previous = exported.articleId;
      }
      expect(count).toBe(total);
      expect(previous).toBe(`art_bulk_${total - 1}`);
      // 223 MB of NDJSON: holding the export would take far more heap; streaming holds one batch.
      expect(bytes).toBeGreaterThan(200_000_000);
      expect(peak).toBeLessThan(48 * 1024 * 1024);
    }, 180_000);
  });
}
