import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { PostgresArticleStore } from "../../src/store/postgres/postgres-store.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
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
