import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresArticleStore } from "../../src/store/postgres/postgres-store.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { fillerText, makeRecord } from "../support/records.js";
import { describeStoreContract } from "./contract.js";
import {
  describeStoreMaintenance,
  type MaintenanceDatabase,
  type MaintenanceHarness,
} from "./maintenance.js";

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
});

async function withClient(url: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

function database(url: string): MaintenanceDatabase {
  return {
    open: (options) => PostgresArticleStore.open(url, options),
    async migrateTo(version) {
      const store = await PostgresArticleStore.open(url, { migrate: false });
      await store.migrate({ to: version });
      await store.close();
    },
    exec: (sql) => withClient(url, async (client) => void (await client.query(sql))),
    bulkLoad: (count, template) =>
      withClient(url, async (client) => {
        // Generated server-side: 100k rows in one statement instead of 100k round trips.
        await client.query(
          `INSERT INTO stories (id, created_at)
           SELECT 'sty_bulk_' || g, '2024-05-01T09:00:00.000Z' FROM generate_series(0, $1 - 1) AS g`,
          [count],
        );
        await client.query(
          `INSERT INTO articles (id, url, site, story_id, story_link, revision, content_hash, title, language,
             paywalled, fetched_at, first_seen_at, last_seen_at, updated_us, record)
           SELECT 'art_bulk_' || g, 'https://bulk.example/story/' || g, 'bulk.example', 'sty_bulk_' || g, 'founder', 1,
             'hash' || g, 'Bulk story ' || g, 'en', false, '2024-05-01T09:00:00.000Z', '2024-05-01T09:00:00.000Z',
             '2024-05-01T09:00:00.000Z', g + 1, replace($2, '__N__', g::text)
           FROM generate_series(0, $1 - 1) AS g`,
          [count, template],
        );
        await client.query("UPDATE store_clock SET last_us = $1", [count + 1]);
      }),
  };
}

const harness: MaintenanceHarness = {
  backend: "postgres",
  async createDatabase() {
    const url = await postgres.createDatabase();
    await (await PostgresArticleStore.open(url)).close();
    return database(url);
  },
  async createEmptyDatabase() {
    return database(await postgres.createDatabase());
  },
};

describeStoreContract(harness);
describeStoreMaintenance(harness);

describe("PostgreSQL ranked search", () => {
  it("ranks a one-word search by ts_rank_cd exactly, reading vectors only where a match can score above one body occurrence", async () => {
    const store = await PostgresArticleStore.open(await postgres.createDatabase());
    try {
      const put = (name: string, overrides: Parameters<typeof makeRecord>[1]) =>
        store.upsertArticle(makeRecord(`https://rank.example/${name}`, overrides));
      const body = (seed: number, extra: string) => `${fillerText(seed, 40)} ${extra}`;
      // ts_rank_cd weighs an occurrence in the title 1.0, the standfirst 0.4, the body 0.2.
      await put("title", { title: "Harbour reopens", body: fillerText(1, 40) });
      await put("body3", { title: "Three", body: body(2, "harbour and harbour, then harbour") });
      await put("standfirst", { title: "Standfirst", standfirst: "At the harbour", body: fillerText(3, 40) });
      await put("body2", { title: "Two", body: body(4, "harbour then harbour") });
      // Indexed with the simple config (no stemming): two different stemmings of the query's word,
      // once each, score as two occurrences.
      await put("forms", { title: "Forms", language: "ja", body: body(5, "harbours beside the harbour") });
      const once = ["once-a", "once-b", "once-c", "once-d"];
      for (const [i, name] of once.entries())
        await put(name, { title: "Once", body: body(10 + i, "harbour") });
      await put("none", { title: "Nothing", body: fillerText(20, 40) });

      const idOf = (name: string) => makeRecord(`https://rank.example/${name}`).id;
      const byId = (names: string[]) => names.map(idOf).sort();
      const expected = [
        idOf("title"),
        idOf("body3"),
        ...byId(["standfirst", "body2", "forms"]),
        ...byId(once),
      ];
      for (const limit of [1, 2, 3, 50]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.listArticles({ limit, q: "harbours", order: "relevance", cursor });
          seen.push(...page.items.map((a) => a.articleId));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(expected);
      }

      // A rewritten article is ranked by its new text: its keys are generated with its vector.
      await put("once-d", {
        title: "Once",
        body: body(13, "harbour, harbour, harbour, harbour"),
        fetchedAt: "2024-05-02T09:00:00.000Z",
      });
      const first = await store.listArticles({ limit: 3, q: "harbour", order: "relevance" });
      expect(first.items.map((a) => a.articleId)).toEqual([idOf("title"), idOf("once-d"), idOf("body3")]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
