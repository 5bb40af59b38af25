import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startThrowawayCluster } from "../src/dev/throwaway-cluster.js";
import { ArticleRecordSchema } from "../src/domain/article.js";
import type { ArticleStore, ListArticlesQuery, StoreBackend } from "../src/store/article-store.js";
import { PostgresArticleStore } from "../src/store/postgres/postgres-store.js";
import { SqliteArticleStore } from "../src/store/sqlite/sqlite-store.js";
import { loadCorpus, measureNearDuplicates, type NearDuplicateFigures } from "../test/store/corpus.js";
import { bulkFillPostgres, bulkFillSqlite } from "./lib/bulk-fill.js";
import { randomIndex, seededRandom } from "./lib/seeded-random.js";
import { SITES, syntheticRecord, WORDS_PER_ARTICLE, wordTextAt } from "./lib/store-articles.js";

/**
 * Store throughput and read latency at volume, on both backends: N synthetic articles upserted
 * through the real `upsertArticle` (creates, with URL index, story and near-duplicate sketch), a
 * pass of unchanged re-upserts, list-page latency (pages of 50, with filters and cursors), a full
 * export, and peak RSS of this process. PostgreSQL is a throwaway cluster started here, durable
 * (fsync on) unless --no-fsync. Also prints the near-duplicate threshold margins on the corpus.
 */

const USAGE = `usage: npm run bench:store -- [--articles N] [--backend sqlite|postgres|both] [--writers N] [--no-fsync] [--json]
  --articles N   articles to upsert per backend (default 100000)
  --backend      which backend(s) to measure (default both)
  --writers N    concurrent writers for PostgreSQL (default 8; SQLite has one writer by design)
  --no-fsync     run PostgreSQL with fsync off (as the tests do)
  --search-queries N  queries per search kind (default 150; 10 for a word of every article)
  --bulk         fill by direct inserts (the rows and full-text entries an upsert writes, no story
                 linking) to measure reads and search quickly; upsert figures are then not measured
  --json         print one JSON object instead of the report
`;

interface Options {
  articles: number;
  backends: StoreBackend[];
  writers: number;
  fsync: boolean;
  json: boolean;
  bulk: boolean;
  searchQueries: number;
}

interface LatencyFigures {
  requests: number;
  p50Ms: number;
  p95Ms: number;
}

interface BackendFigures {
  backend: StoreBackend;
  articles: number;
  writers: number;
  upsertSeconds: number;
  upsertsPerSecond: number;
  unchangedPerSecond: number;
  stories: number;
  list: Record<string, LatencyFigures>;
  listAll: LatencyFigures;
  /** q pages (first page of 50 and the next one) by words drawn from the stored texts. */
  search: Record<string, SearchFigures>;
  exportRecordsPerSecond: number;
  peakRssMiB: number;
}

const PAGE = 50;

function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      articles: { type: "string" },
      backend: { type: "string" },
      writers: { type: "string" },
      "no-fsync": { type: "boolean" },
      bulk: { type: "boolean" },
      "search-queries": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return null;
  const count = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--${name} wants a positive whole number, got "${value}"`);
    return n;
  };
  const backend = values.backend ?? "both";
  if (!["sqlite", "postgres", "both"].includes(backend))
    throw new Error(`--backend: sqlite, postgres or both`);
  return {
    articles: count("articles", values.articles, 100_000),
    backends: backend === "both" ? ["sqlite", "postgres"] : [backend as StoreBackend],
    writers: count("writers", values.writers, 8),
    fsync: !values["no-fsync"],
    json: values.json ?? false,
    bulk: values.bulk ?? false,
    searchQueries: count("search-queries", values["search-queries"], 150),
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = (p / 100) * (sorted.length - 1);
  const low = sorted[Math.floor(rank)] as number;
  const high = sorted[Math.ceil(rank)] as number;
  return low + (high - low) * (rank - Math.floor(rank));
}

function latency(samples: number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    requests: samples.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
  };
}

async function timed<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  samples.push(performance.now() - start);
  return result;
}

/**
 * Search latency: --search-queries (150) queries of 1, 2 and 3 words, each drawn from the text of one stored
 * article (so every query matches at least it), ranked and in change order; the first page and, when
 * there is one, the second. A word of the synthetic vocabulary is in about 1.2% of the articles.
 * Then one word with a filter (the site or the language of the article it was drawn from), and the
 * worst case: a word of every title ("story"), which every article matches.
 */
const EVERY_ARTICLE_QUERIES = 10;

type SearchFigures = LatencyFigures & { meanMatches: number };

async function searchKind(
  store: ArticleStore,
  queries: number,
  query: () => Omit<ListArticlesQuery, "limit" | "cursor">,
): Promise<SearchFigures> {
  const samples: number[] = [];
  let matches = 0;
  for (let k = 0; k < queries; k++) {
    const filter = query();
    const first = await timed(samples, () => store.listArticles({ ...filter, limit: PAGE }));
    matches += first.items.length;
    if (first.nextCursor) {
      const cursor = first.nextCursor;
      await timed(samples, () => store.listArticles({ ...filter, limit: PAGE, cursor }));
    }
  }
  return { ...latency(samples), meanMatches: Math.round((matches / queries) * 10) / 10 };
}

async function measureSearch(
  store: ArticleStore,
  n: number,
  queries: number,
): Promise<Record<string, SearchFigures>> {
  const random = seededRandom(13);
  const wordsOf = (i: number, count: number) =>
    Array.from({ length: count }, () => wordTextAt(i, randomIndex(random, WORDS_PER_ARTICLE))).join(" ");
  const out: Record<string, SearchFigures> = {};
  for (const order of ["relevance", "updated"] as const) {
    for (const count of [1, 2, 3]) {
      out[`${order}, ${count} word${count > 1 ? "s" : ""}`] = await searchKind(store, queries, () => ({
        q: wordsOf(randomIndex(random, n), count),
        order,
      }));
    }
  }
  for (const order of ["relevance", "updated"] as const) {
    out[`${order}, 1 word + site`] = await searchKind(store, queries, () => {
      const i = randomIndex(random, n);
      return { q: wordsOf(i, 1), order, site: SITES[i % SITES.length] as string };
    });
    out[`${order}, 1 word + language`] = await searchKind(store, queries, () => {
      const i = randomIndex(random, n);
      return { q: wordsOf(i, 1), order, language: syntheticRecord(i).language ?? "en" };
    });
    out[`${order}, every article ("story")`] = await searchKind(
      store,
      Math.min(queries, EVERY_ARTICLE_QUERIES),
      () => ({
        q: "story",
        order,
      }),
    );
  }
  return out;
}

function status(options: Options, message: string): void {
  if (!options.json || process.stderr.isTTY) process.stderr.write(`bench:store: ${message}\n`);
}

async function runWriters(count: number, writers: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = next++; i < count; i = next++) await work(i);
    }),
  );
}

async function measureBackend(
  backend: StoreBackend,
  store: ArticleStore,
  options: Options,
  rss: { peak: number },
): Promise<BackendFigures> {
  const writers = backend === "sqlite" ? 1 : options.writers;
  const n = options.articles;
  status(options, `${backend}: upserting ${n} articles with ${writers} writer(s)`);
  const started = performance.now();
  if (options.bulk && store instanceof SqliteArticleStore) bulkFillSqlite(store, n, syntheticRecord);
  else if (options.bulk && store instanceof PostgresArticleStore)
    await bulkFillPostgres(store, n, syntheticRecord, (done) => {
      if (done % 10_000 === 0) status(options, `${backend}: ${done} inserted`);
    });
  else
    await runWriters(n, writers, async (i) => {
      await store.upsertArticle(syntheticRecord(i));
      if (i % 10_000 === 9_999) status(options, `${backend}: ${i + 1} upserted`);
    });
  const upsertSeconds = (performance.now() - started) / 1000;

  const unchangedCount = options.bulk ? 0 : Math.min(n, 10_000);
  const unchangedStart = performance.now();
  await runWriters(unchangedCount, writers, async (i) => {
    await store.upsertArticle(syntheticRecord(i));
  });
  const unchangedSeconds = (performance.now() - unchangedStart) / 1000;

  status(options, `${backend}: list pages`);
  const stats = await store.stats();
  const someStory = (await store.getArticleByUrl(`https://${SITES[1]}/news/${Math.min(n - 1, 18)}`))?.storyId;
  const scenarios: [string, Omit<ListArticlesQuery, "limit" | "cursor">][] = [
    ["no filter", {}],
    ["site", { site: SITES[3] as string }],
    ["language", { language: "de" }],
    ["paywalled", { paywalled: true }],
    ["site + language", { site: SITES[5] as string, language: "en" }],
    ["story", someStory ? { storyId: someStory } : {}],
    ["since (last 10%)", { since: "1970-01-01" }],
  ];
  // "since" wants an instant inside the data: the updatedAt of the article at 90%.
  const late = await store.getArticleByUrl(
    `https://${SITES[Math.floor(n * 0.9) % SITES.length]}/news/${Math.floor(n * 0.9)}`,
  );
  if (late) (scenarios[6] as [string, { since: string }])[1] = { since: late.updatedAt };

  const list: Record<string, LatencyFigures> = {};
  const all: number[] = [];
  for (const [name, filter] of scenarios) {
    const samples: number[] = [];
    // Walk up to 40 pages deep with cursors, twice: first page, middle and deep pages all count.
    for (let round = 0; round < 2; round++) {
      let cursor: string | null = null;
      for (let page = 0; page < 40; page++) {
        const result = await timed(samples, () => store.listArticles({ ...filter, limit: PAGE, cursor }));
        cursor = result.nextCursor;
        if (!cursor) break;
      }
    }
    list[name] = latency(samples);
    all.push(...samples);
  }
  // Deep pages: a cursor from the middle of the table.
  const deep: number[] = [];
  let cursor: string | null = null;
  let skipped = 0;
  while (skipped < Math.min(n / 2, 50_000)) {
    const result = await store.listArticles({ limit: 1000, cursor });
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
    skipped += 1000;
  }
  for (let i = 0; i < 80; i++) {
    const result = await timed(deep, () => store.listArticles({ limit: PAGE, cursor }));
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  list[`cursor at row ${skipped}`] = latency(deep);
  all.push(...deep);

  status(options, `${backend}: search`);
  const search = await measureSearch(store, n, options.searchQueries);

  status(options, `${backend}: export`);
  const exportStart = performance.now();
  let exported = 0;
  for await (const line of store.exportArticles()) {
    if (line.articleId) exported++;
  }
  const exportSeconds = (performance.now() - exportStart) / 1000;
  rss.peak = Math.max(rss.peak, process.memoryUsage().rss);

  return {
    backend,
    articles: stats.articles,
    writers,
    upsertSeconds: Math.round(upsertSeconds * 10) / 10,
    upsertsPerSecond: Math.round(n / upsertSeconds),
    unchangedPerSecond: Math.round(unchangedCount / unchangedSeconds),
    stories: stats.stories,
    list,
    listAll: latency(all),
    search,
    exportRecordsPerSecond: Math.round(exported / exportSeconds),
    peakRssMiB: Math.round(rss.peak / 1024 / 1024),
  };
}

function report(
  figures: BackendFigures[],
  nearDuplicates: NearDuplicateFigures | null,
  options: Options,
): string {
  const lines: string[] = [];
  lines.push(
    `machine: ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? "?"}), ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  );
  for (const f of figures) {
    lines.push("");
    lines.push(
      `${f.backend}${f.backend === "postgres" ? ` (fsync ${options.fsync ? "on" : "off"})` : " (WAL, synchronous=NORMAL)"}: ${f.articles} articles, ${f.stories} stories`,
    );
    lines.push(
      `  upserts/s (new articles, ${f.writers} writer(s)): ${f.upsertsPerSecond}  (${f.upsertSeconds} s)`,
    );
    lines.push(`  upserts/s (unchanged re-upserts):              ${f.unchangedPerSecond}`);
    lines.push(
      `  list pages of ${PAGE}, all scenarios: p50 ${f.listAll.p50Ms} ms, p95 ${f.listAll.p95Ms} ms`,
    );
    for (const [name, l] of Object.entries(f.list)) {
      lines.push(
        `    ${name.padEnd(24)} p50 ${String(l.p50Ms).padStart(7)} ms  p95 ${String(l.p95Ms).padStart(7)} ms  (${l.requests})`,
      );
    }
    lines.push(`  search (q), pages of ${PAGE}:`);
    for (const [name, l] of Object.entries(f.search)) {
      lines.push(
        `    ${name.padEnd(24)} p50 ${String(l.p50Ms).padStart(7)} ms  p95 ${String(l.p95Ms).padStart(7)} ms  (${l.requests}, first page ${l.meanMatches} rows on average)`,
      );
    }
    lines.push(`  export: ${f.exportRecordsPerSecond} records/s`);
    lines.push(`  peak RSS of the bench process so far: ${f.peakRssMiB} MiB`);
  }
  if (nearDuplicates) {
    const d = nearDuplicates;
    lines.push("");
    lines.push(
      `near-duplicate threshold on ${d.articles} corpus articles: max different ${d.maxDifferent.toFixed(3)}, max copy vs other ${d.maxCopyVsOther.toFixed(3)}, min copy ${d.minCopy.toFixed(3)}, min copy Jaccard ${d.minCopyJaccard.toFixed(3)}, LSH misses ${d.lshMisses}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<number> {
  let options: Options | null;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench:store: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  // The synthetic records are valid article records.
  ArticleRecordSchema.parse(syntheticRecord(19));
  const rss = { peak: 0 };
  const sampler = setInterval(() => {
    rss.peak = Math.max(rss.peak, process.memoryUsage().rss);
  }, 200);
  const figures: BackendFigures[] = [];
  const tmp = mkdtempSync(path.join(tmpdir(), "copydesk-bench-store-"));
  try {
    for (const backend of options.backends) {
      if (backend === "sqlite") {
        const store = await SqliteArticleStore.open(path.join(tmp, "bench.sqlite"));
        try {
          figures.push(await measureBackend("sqlite", store, options, rss));
        } finally {
          await store.close();
        }
      } else {
        status(options, "starting a throwaway PostgreSQL cluster");
        const cluster = await startThrowawayCluster({ fsync: options.fsync });
        try {
          const url = await cluster.createDatabase("bench");
          const store = await PostgresArticleStore.open(url, { poolSize: options.writers + 2 });
          try {
            figures.push(await measureBackend("postgres", store, options, rss));
          } finally {
            await store.close();
          }
        } finally {
          await cluster.stop();
        }
      }
    }
  } finally {
    clearInterval(sampler);
    rmSync(tmp, { recursive: true, force: true });
  }
  const corpus = loadCorpus();
  const nearDuplicates = corpus ? measureNearDuplicates(corpus) : null;
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({
        machine: {
          cpus: availableParallelism(),
          cpuModel: cpus()[0]?.model.trim() ?? "unknown",
          memoryGiB: Math.round(totalmem() / 1024 ** 3),
          node: process.version,
          date: new Date().toISOString(),
        },
        postgresFsync: options.fsync,
        backends: figures,
        nearDuplicates,
      })}\n`,
    );
  } else {
    process.stdout.write(report(figures, nearDuplicates, options));
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench:store: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
