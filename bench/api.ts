/**
 * API throughput: autocannon against the list and get routes of `copydesk serve`, with N stored
 * articles (100,000 by default), for the SQLite and the PostgreSQL store.
 *
 *   npm run bench:api [-- --articles 100000 --backend both|sqlite|postgres --duration 15 --connections 10 --bulk]
 *
 * The server is the real `copydesk serve` in a child process (so autocannon's own CPU is not the
 * server's), with logging at warn and the rate limit raised out of the way; everything else is
 * the default configuration. Each route gets a warm-up, then a measured run; the run fails (exit 1)
 * if any response is not 2xx. The SQLite file is kept in .bench/api/ and reused while it holds the
 * right number of articles; PostgreSQL runs in a throwaway cluster and is filled every time.
 *
 * Articles are synthetic: distinct bodies of ~250 words (no near-duplicates, so one story each),
 * 20 sites, 3 languages, 1 in 10 paywalled; a topic word in each standfirst (one of 30, so each is
 * in 3.3% of the articles), other words in about 17 articles each. With --bulk the stores are filled with the rows an
 * upsert writes, by direct inserts (bench/lib/bulk-fill.ts), in a fraction of the time.
 *
 * After the autocannon routes, search latency as one client sees it: requests one after another on
 * one connection, for the list (ranked) and the JSON feed (newest first), by number of words.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { newestArticles } from "../src/api/recent.js";
import { startThrowawayCluster, type ThrowawayCluster } from "../src/dev/throwaway-cluster.js";
import {
  type ArticleRecord,
  ArticleRecordSchema,
  EXTRACTOR_NAME,
  EXTRACTOR_VERSION,
  REVISION_FIELDS,
} from "../src/domain/article.js";
import { articleIdFor } from "../src/domain/url.js";
import type { ArticleStore } from "../src/store/article-store.js";
import { PostgresArticleStore } from "../src/store/postgres/postgres-store.js";
import { SqliteArticleStore } from "../src/store/sqlite/sqlite-store.js";
import { bulkFillPostgres, bulkFillSqlite } from "./lib/bulk-fill.js";

/** The part of autocannon's programmatic API used here (the package ships no types). */
interface Histogram {
  average: number;
  p50: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  throughput: Histogram;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: { setupRequest: (request: AutocannonRequest) => AutocannonRequest }[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const USAGE = `usage: npm run bench:api -- [--articles N] [--backend both|sqlite|postgres] [--duration S] [--connections C]
  [--bulk] [--search-requests N] [--search-only]
  --bulk               fill by direct inserts (bench/lib/bulk-fill.ts) instead of upserts
  --search-requests N  sequential requests per search kind (default 200)
  --search-only        skip the autocannon routes, measure search latency only
`;
const SITES = Array.from({ length: 20 }, (_, i) => `site${i}.example`);
const LANGUAGES = ["en", "en-GB", "fr"];
const WORDS =
  "council budget transport river harbour minister election court report market energy school hospital storm rail port trade union climate housing police festival museum bridge senate treaty drought harvest vaccine airline".split(
    " ",
  );
const BENCH_DIR = path.resolve(".bench", "api");

interface Options {
  articles: number;
  backends: ("sqlite" | "postgres")[];
  duration: number;
  connections: number;
  bulk: boolean;
  searchRequests: number;
  searchOnly: boolean;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      articles: { type: "string", default: "100000" },
      backend: { type: "string", default: "both" },
      duration: { type: "string", default: "15" },
      connections: { type: "string", default: "10" },
      bulk: { type: "boolean", default: false },
      "search-requests": { type: "string", default: "200" },
      "search-only": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const count = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} wants a positive whole number\n${USAGE}`);
    return n;
  };
  const backend = values.backend;
  if (backend !== "both" && backend !== "sqlite" && backend !== "postgres") {
    throw new Error(`--backend is both, sqlite or postgres\n${USAGE}`);
  }
  return {
    articles: count("articles", values.articles),
    backends: backend === "both" ? ["sqlite", "postgres"] : [backend],
    duration: count("duration", values.duration),
    connections: count("connections", values.connections),
    bulk: values.bulk,
    searchRequests: count("search-requests", values["search-requests"]),
    searchOnly: values["search-only"],
  };
}

/** Deterministic per index, distinct enough that no two bodies are near-duplicates. */
function syntheticRecord(i: number): ArticleRecord {
  const site = SITES[i % SITES.length] ?? "site.example";
  const url = `https://www.${site}/news/${i}`;
  let state = (i * 2654435761 + 1) >>> 0 || 1;
  const word = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    // A large vocabulary, as real bodies have: shingles rarely repeat across articles, so the store's
    // near-duplicate check sees few candidates (what it sees with news, not a synthetic worst case).
    return `${WORDS[state % WORDS.length]}${((state >>> 5) % 50_000).toString(36)}`;
  };
  const paragraphs = Array.from({ length: 5 }, () => Array.from({ length: 50 }, word).join(" "));
  const text = paragraphs.join("\n\n");
  const published = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
  const base: ArticleRecord = {
    id: articleIdFor(url),
    url,
    requestedUrl: url,
    finalUrl: url,
    title: `Story ${i}: the ${word()} and the ${word()}`,
    // A topic word of WORDS in one article of 30: a search term with thousands of matches.
    standfirst: `What happened to the ${word()} in story ${i}, on ${WORDS[i % WORDS.length]}.`,
    byline: "By A. Reporter",
    authors: ["A. Reporter"],
    publishedAt: published,
    publishedAtRaw: published,
    modifiedAt: null,
    modifiedAtRaw: null,
    publisher: `Site ${i % SITES.length}`,
    section: "News",
    tags: ["news"],
    language: LANGUAGES[i % LANGUAGES.length] ?? "en",
    direction: "ltr",
    body: { html: paragraphs.map((p) => `<p>${p}</p>`).join(""), text },
    wordCount: 250,
    images: [
      {
        url: `https://img.${site}/${i}.jpg`,
        caption: "A caption",
        credit: "Agency",
        alt: null,
        isLead: true,
      },
    ],
    provenance: [{ role: "origin", name: `Site ${i % SITES.length}`, url, evidence: ["canonical"] }],
    paywall: { accessibleForFree: i % 10 === 0 ? false : null, truncated: false },
    contentHash: "",
    extractor: { name: EXTRACTOR_NAME, version: EXTRACTOR_VERSION, rule: null },
    fetchedAt: published,
    extractedAt: published,
    missing: [],
    warnings: [],
  };
  const hashed = Object.fromEntries(REVISION_FIELDS.map((field) => [field, base[field]]));
  base.contentHash = createHash("sha256").update(JSON.stringify(hashed)).digest("hex");
  return i === 0 ? ArticleRecordSchema.parse(base) : base;
}

async function fill(store: ArticleStore, count: number, concurrency: number, bulk: boolean): Promise<void> {
  const have = (await store.stats()).articles;
  if (have === count) {
    process.stderr.write(`  store already holds ${count} articles\n`);
    return;
  }
  if (have !== 0)
    throw new Error(`store holds ${have} articles, expected 0 or ${count}: remove ${BENCH_DIR}`);
  const started = Date.now();
  if (bulk) {
    if (store instanceof SqliteArticleStore) bulkFillSqlite(store, count, syntheticRecord);
    else if (store instanceof PostgresArticleStore) await bulkFillPostgres(store, count, syntheticRecord);
    process.stderr.write(`  bulk-filled in ${Math.round((Date.now() - started) / 1000)} s\n`);
    return;
  }
  let next = 0;
  async function worker() {
    for (let i = next++; i < count; i = next++) {
      await store.upsertArticle(syntheticRecord(i));
      if (i % 10_000 === 9_999) {
        const rate = Math.round((i + 1) / ((Date.now() - started) / 1000));
        process.stderr.write(`  stored ${i + 1}/${count} (${rate}/s)\n`);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  process.stderr.write(`  filled in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

interface Server {
  url: string;
  child: ChildProcess;
}

/** `copydesk serve` in a child process, on a free port of 127.0.0.1. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
    env: {
      PATH: process.env.PATH ?? "",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "warn",
      // The limit is per client and autocannon is one client: raise it so throughput is measured.
      COPYDESK_API_RATE_LIMIT: "1000000000",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let stderr = "";
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 60_000);
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderr += chunk;
      const match = /API on (http:\/\/[^\s]+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], child });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stderr}`));
    });
  });
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGTERM");
  await exited;
}

interface RouteResult {
  backend: string;
  route: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  mbPerSecond: number;
  total: number;
  non2xx: number;
  errors: number;
}

interface Target {
  route: string;
  path: () => string;
}

function randomInt(n: number): number {
  return Math.floor(Math.random() * n);
}

async function targetsFor(store: ArticleStore, count: number): Promise<Target[]> {
  const first = (await store.listArticles({ limit: 1 })).items[0];
  const last = (await newestArticles(store, {}, 1))[0];
  if (!first || !last) throw new Error("the store is empty");
  const from = Date.parse(first.updatedAt);
  const span = Math.max(1, Date.parse(last.updatedAt) - from);
  const since = () => encodeURIComponent(new Date(from + randomInt(span)).toISOString());
  const ids = Array.from({ length: count }, (_, i) => syntheticRecord(i).id);
  return [
    { route: "GET /v1/articles?limit=50&since=…", path: () => `/v1/articles?limit=50&since=${since()}` },
    {
      route: "GET /v1/articles?limit=50&site=…&since=…",
      path: () => `/v1/articles?limit=50&site=${SITES[randomInt(SITES.length)]}&since=${since()}`,
    },
    { route: "GET /v1/articles/:id", path: () => `/v1/articles/${ids[randomInt(ids.length)]}` },
    {
      route: "GET /v1/articles?limit=20&q=… (1–3 words)",
      path: () => `/v1/articles?limit=20&q=${searchQuery(count)}`,
    },
    {
      route: "GET /v1/feed.json?limit=20&q=… (1–3 words)",
      path: () => `/v1/feed.json?limit=20&q=${searchQuery(count)}`,
    },
  ];
}

/** 1–3 words (or `words`) of one stored article's title, standfirst or body, so it matches at least that one. */
function searchQuery(count: number, words = 1 + randomInt(3)): string {
  const record = syntheticRecord(randomInt(count));
  const text = `${record.title} ${record.standfirst} ${record.body.text}`
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 3);
  const picked = Array.from({ length: words }, () => text[randomInt(text.length)] ?? "story");
  return encodeURIComponent(picked.join(" "));
}

interface SearchLatency {
  backend: string;
  kind: string;
  requests: number;
  p50: number;
  p95: number;
  meanItems: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = (p / 100) * (sorted.length - 1);
  const low = sorted[Math.floor(rank)] as number;
  const high = sorted[Math.ceil(rank)] as number;
  return low + (high - low) * (rank - Math.floor(rank));
}

/**
 * Search latency as one client sees it: requests one after another on one keep-alive connection
 * (no queueing behind other requests), the whole response read; p50 and p95 per kind of query.
 */
async function measureSearchLatency(
  backend: string,
  url: string,
  count: number,
  requests: number,
): Promise<SearchLatency[]> {
  const kinds: { kind: string; requests: number; path: () => string }[] = [
    // The same page without q: what the route costs around the search.
    {
      kind: "GET /v1/articles?limit=20 (no q, for comparison)",
      requests,
      path: () => "/v1/articles?limit=20",
    },
    ...[1, 2, 3].map((words) => ({
      kind: `GET /v1/articles?limit=20&q=… (${words} word${words > 1 ? "s" : ""}, ranked)`,
      requests,
      path: () => `/v1/articles?limit=20&q=${searchQuery(count, words)}`,
    })),
    {
      kind: "GET /v1/articles?limit=20&q=<topic word> (3.3% of articles, ranked)",
      requests,
      path: () => `/v1/articles?limit=20&q=${WORDS[randomInt(WORDS.length)]}`,
    },
    {
      kind: "GET /v1/feed.json?limit=20&q=… (1 word, newest first)",
      requests,
      path: () => `/v1/feed.json?limit=20&q=${searchQuery(count, 1)}`,
    },
    {
      kind: "GET /v1/feed.json?limit=20&q=<topic word> (newest first)",
      requests,
      path: () => `/v1/feed.json?limit=20&q=${WORDS[randomInt(WORDS.length)]}`,
    },
    {
      kind: "GET /v1/articles?limit=20&q=story (every article, ranked)",
      requests: Math.min(requests, 20),
      path: () => "/v1/articles?limit=20&q=story",
    },
  ];
  const out: SearchLatency[] = [];
  for (const { kind, requests: n, path: next } of kinds) {
    process.stderr.write(`${backend}: ${kind}: ${n} requests in sequence\n`);
    const samples: number[] = [];
    let items = 0;
    for (let i = 0; i < n + 5; i++) {
      const started = performance.now();
      const response = await fetch(`${url}${next()}`);
      const body = (await response.json()) as { items?: unknown[] };
      if (!response.ok) throw new Error(`${kind}: HTTP ${response.status}: ${JSON.stringify(body)}`);
      // The first five warm the statement caches and are not counted.
      if (i < 5) continue;
      samples.push(performance.now() - started);
      items += body.items?.length ?? 0;
    }
    samples.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    out.push({
      backend,
      kind,
      requests: n,
      p50: round(percentile(samples, 50)),
      p95: round(percentile(samples, 95)),
      meanItems: Math.round((items / n) * 10) / 10,
    });
  }
  return out;
}

async function load(url: string, target: Target, duration: number, connections: number) {
  return autocannon({
    url,
    connections,
    duration,
    requests: [{ setupRequest: (request) => ({ ...request, method: "GET", path: target.path() }) }],
  });
}

async function benchBackend(
  backend: "sqlite" | "postgres",
  options: Options,
): Promise<{ routes: RouteResult[]; search: SearchLatency[] }> {
  process.stderr.write(`${backend}: preparing ${options.articles} articles\n`);
  let cluster: ThrowawayCluster | undefined;
  let store: ArticleStore;
  let env: Record<string, string>;
  if (backend === "sqlite") {
    const dataDir = path.join(BENCH_DIR, `sqlite-${options.bulk ? "bulk-" : ""}${options.articles}`);
    mkdirSync(dataDir, { recursive: true });
    store = await SqliteArticleStore.open(path.join(dataDir, "copydesk.sqlite"));
    env = { COPYDESK_DATA_DIR: dataDir };
  } else {
    cluster = await startThrowawayCluster();
    const databaseUrl = await cluster.createDatabase("copydesk_bench");
    store = await PostgresArticleStore.open(databaseUrl);
    env = { DATABASE_URL: databaseUrl, COPYDESK_DATA_DIR: path.join(BENCH_DIR, "pg-data") };
  }
  const results: RouteResult[] = [];
  let search: SearchLatency[] = [];
  try {
    await fill(store, options.articles, backend === "sqlite" ? 1 : 8, options.bulk);
    const targets = await targetsFor(store, options.articles);
    // The server opens the store itself; this process keeps its own connection closed meanwhile.
    await store.close();
    const server = await startServer(env);
    try {
      for (const target of options.searchOnly ? [] : targets) {
        process.stderr.write(`${backend}: ${target.route}: warm-up, then ${options.duration} s\n`);
        await load(server.url, target, 3, options.connections);
        const result = await load(server.url, target, options.duration, options.connections);
        results.push({
          backend,
          route: target.route,
          requestsPerSecond: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
          mbPerSecond: result.throughput.average / 1024 / 1024,
          total: result.requests.total,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
        });
      }
      search = await measureSearchLatency(backend, server.url, options.articles, options.searchRequests);
    } finally {
      await stopServer(server);
    }
  } finally {
    await store.close().catch(() => undefined);
    await cluster?.stop();
    if (backend === "postgres") rmSync(path.join(BENCH_DIR, "pg-data"), { recursive: true, force: true });
  }
  return { routes: results, search };
}

function report(results: RouteResult[], search: SearchLatency[], options: Options): string {
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  const lines = [
    `${options.articles.toLocaleString("en")} stored articles, ${options.connections} connections, ` +
      `${options.duration} s per route after a 3 s warm-up; ${availableParallelism()} CPUs (${cpu}), ` +
      `${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, load ${loadavg()[0]?.toFixed(2)}, ` +
      `${new Date().toISOString().slice(0, 10)}.`,
    "",
    "| Backend | Route | Requests/s | p50 ms | p99 ms | max ms | MB/s | Requests | Non-2xx | Errors |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.backend} | \`${r.route}\` | ${Math.round(r.requestsPerSecond)} | ${r.p50} | ${r.p99} | ${r.max} | ` +
        `${r.mbPerSecond.toFixed(1)} | ${r.total} | ${r.non2xx} | ${r.errors} |`,
    ),
    "",
    "Search latency, one request at a time on one connection:",
    "",
    "| Backend | Query | Requests | p50 ms | p95 ms | items (mean) |",
    "|---|---|---:|---:|---:|---:|",
    ...search.map(
      (r) => `| ${r.backend} | \`${r.kind}\` | ${r.requests} | ${r.p50} | ${r.p95} | ${r.meanItems} |`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<number> {
  const options = parseOptions();
  if (!existsSync("src/cli/main.ts")) throw new Error("run from the repository root (npm run bench:api)");
  const results: RouteResult[] = [];
  const search: SearchLatency[] = [];
  for (const backend of options.backends) {
    const figures = await benchBackend(backend, options);
    results.push(...figures.routes);
    search.push(...figures.search);
  }
  process.stdout.write(report(results, search, options));
  const failed = results.filter((r) => r.non2xx > 0 || r.errors > 0);
  if (failed.length > 0) {
    process.stderr.write(
      `bench:api: non-2xx responses or errors on ${failed.map((r) => r.route).join(", ")}\n`,
    );
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench:api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
