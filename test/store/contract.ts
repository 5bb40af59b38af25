import { gzipSync } from "node:zlib";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ArticleRecord } from "../../src/domain/article.js";
import { CopydeskError } from "../../src/domain/errors.js";
import { ExportLineSchema } from "../../src/domain/export-line.js";
import type { PageSnapshot } from "../../src/domain/page.js";
import type { ArticleStore, StoreBackend, StoredArticle } from "../../src/store/article-store.js";
import { fillerText, makeRecord } from "../support/records.js";
import { loadCorpus, nearCopy } from "./corpus.js";

/**
 * The ArticleStore contract: every backend runs this same suite (test/store/<backend>.test.ts).
 * A harness hands out fresh, migrated databases and extra connections to them.
 */
export interface StoreHarness {
  backend: StoreBackend;
  /** A fresh, empty, migrated database. */
  createDatabase(): Promise<TestDatabase>;
}

export interface TestDatabase {
  /** Opens a store (another connection each time) on this database. */
  open(options?: { migrate?: boolean }): Promise<ArticleStore>;
}

const WSJ = "https://www.wsj.com/articles/kursk-incursion-ukraine-11723000000";
const AUSTRALIAN = "https://www.theaustralian.com.au/world/the-times/kursk-incursion/news-story/abc123";
const NEWSBITE = "https://www.newsbite.com.au/story/kursk-incursion-wsj";

/** The WSJ original, The Australian's paywalled copy, and an aggregator's teaser of it. */
function kurskRecords(): { wsj: ArticleRecord; australian: ArticleRecord; newsbite: ArticleRecord } {
  const full = fillerText(7, 600);
  const wsj = makeRecord(WSJ, {
    title: "Ukraine’s Kursk Incursion Shakes Up the War",
    body: full,
    publisher: "The Wall Street Journal",
    authors: ["Jane Doe", "Ivan Petrov"],
    paywall: { accessibleForFree: false, truncated: false },
    provenance: [{ role: "origin", name: "The Wall Street Journal", url: WSJ, evidence: ["canonical"] }],
  });
  const australian = makeRecord(AUSTRALIAN, {
    title: "Ukraine’s Kursk incursion shakes up the war",
    body: full.split(/\s+/).slice(0, 60).join(" "),
    publisher: "The Australian",
    authors: [],
    paywall: { accessibleForFree: false, truncated: true },
    provenance: [
      { role: "origin", name: "The Wall Street Journal", url: WSJ, evidence: ["original-url-line"] },
      { role: "syndicator", name: "The Australian", url: AUSTRALIAN, evidence: ["canonical"] },
    ],
  });
  const newsbite = makeRecord(NEWSBITE, {
    title: "Kursk incursion",
    body: "A short summary of the Kursk story with a link to the original.",
    publisher: "NewsBite",
    provenance: [
      { role: "origin", name: "The Wall Street Journal", url: null, evidence: ["credit-line"] },
      { role: "syndicator", name: "The Australian", url: AUSTRALIAN, evidence: ["json-ld"] },
      { role: "aggregator", name: "NewsBite", url: NEWSBITE, evidence: ["canonical"] },
    ],
  });
  return { wsj, australian, newsbite };
}

function snapshotOf(
  url: string,
  fetchedAt: string,
  body: string,
  extra: Partial<PageSnapshot> = {},
): PageSnapshot {
  const raw = Buffer.from(body, "utf8");
  return {
    url,
    requestedUrl: url,
    finalUrl: url,
    status: 200,
    headers: { "content-type": "text/html; charset=utf-8", etag: `"${fetchedAt}"` },
    charset: "utf-8",
    contentType: "text/html",
    etag: `"${fetchedAt}"`,
    lastModified: "Wed, 01 May 2024 08:00:00 GMT",
    fetchedAt,
    bytes: raw.byteLength,
    bodyGzip: gzipSync(raw),
    ...extra,
  };
}

async function listAll(store: ArticleStore, query: Parameters<ArticleStore["listArticles"]>[0]) {
  const out: StoredArticle[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listArticles({ ...query, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

export function describeStoreContract(harness: StoreHarness): void {
  describe(`ArticleStore contract: ${harness.backend}`, () => {
    let db: TestDatabase;
    let store: ArticleStore;
    const opened: ArticleStore[] = [];

    async function fresh(): Promise<ArticleStore> {
      db = await harness.createDatabase();
      store = await db.open();
      opened.push(store);
      return store;
    }

    async function another(): Promise<ArticleStore> {
      const second = await db.open();
      opened.push(second);
      return second;
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    describe("upsert", () => {
      beforeAll(() => undefined);

      it("creates an article keyed by canonical URL, found by id and by each of its URLs", async () => {
        await fresh();
        const record = makeRecord("https://Example.com/news/a?utm_source=x#top", {
          requestedUrl: "http://example.com/news/a?utm_source=feed",
          finalUrl: "https://example.com/news/a?b=2",
        });
        const result = await store.upsertArticle(record);
        expect(result).toMatchObject({ outcome: "created", revision: 1, articleId: record.id });
        const stored = await store.getArticle(result.articleId);
        expect(stored?.record).toEqual(record);
        expect(stored).toMatchObject({ storyId: result.storyId, revision: 1, firstSeenAt: record.fetchedAt });
        for (const url of [
          record.url,
          "https://example.com/news/a",
          "http://example.com/news/a",
          record.finalUrl,
        ]) {
          expect((await store.getArticleByUrl(url))?.articleId, url).toBe(result.articleId);
        }
        expect(backendOf(store)).toBe(harness.backend);
      });

      it("is idempotent: the same content hash makes no revision and only moves lastSeenAt", async () => {
        await fresh();
        const record = makeRecord("https://example.com/a");
        const first = await store.upsertArticle(record);
        const before = await store.getArticle(first.articleId);
        const again = await store.upsertArticle(record, { seenAt: "2024-05-02T00:00:00.000Z" });
        expect(again).toEqual({ ...first, outcome: "unchanged" });
        const after = await store.getArticle(first.articleId);
        expect(after?.lastSeenAt).toBe("2024-05-02T00:00:00.000Z");
        expect(after?.updatedAt).toBe(before?.updatedAt);
        expect(after?.revision).toBe(1);
        expect(await store.listRevisions(first.articleId)).toHaveLength(1);
        expect(await store.stats()).toMatchObject({ articles: 1, revisions: 1, stories: 1 });
      });

      it("makes a new revision when title or body change, keeping the previous one", async () => {
        await fresh();
        const v1 = makeRecord("https://example.com/a", { body: "First version of the story." });
        const v2 = makeRecord("https://example.com/a", {
          title: "Corrected title",
          body: "Second version of the story.",
          fetchedAt: "2024-05-01T10:00:00.000Z",
        });
        await store.upsertArticle(v1);
        const result = await store.upsertArticle(v2);
        expect(result).toMatchObject({ outcome: "revised", revision: 2 });
        const revisions = await store.listRevisions(result.articleId);
        expect(revisions.map((r) => [r.revision, r.changedFields])).toEqual([
          [1, []],
          [2, ["title", "body"]],
        ]);
        expect(revisions[0]?.record).toEqual(v1);
        expect(revisions[1]?.record).toEqual(v2);
        expect(revisions[1]?.contentHash).toBe(v2.contentHash);
        expect((await store.getArticle(result.articleId))?.record).toEqual(v2);
        const v3 = makeRecord("https://example.com/a", {
          title: "Corrected title",
          body: "Second version of the story.",
          authors: ["Jane Doe", "John Roe"],
          modifiedAt: "2024-05-01T11:00:00.000Z",
          fetchedAt: "2024-05-01T12:00:00.000Z",
        });
        expect(await store.upsertArticle(v3)).toMatchObject({ outcome: "revised", revision: 3 });
        expect((await store.listRevisions(result.articleId))[2]?.changedFields).toEqual([
          "authors",
          "modifiedAt",
        ]);
      });

      it("never rolls an article back to a record fetched before the stored one", async () => {
        await fresh();
        const newer = makeRecord("https://example.com/a", {
          body: "Newer.",
          fetchedAt: "2024-05-02T00:00:00.000Z",
        });
        const older = makeRecord("https://example.com/a", {
          body: "Older.",
          fetchedAt: "2024-05-01T00:00:00.000Z",
        });
        await store.upsertArticle(newer);
        expect(await store.upsertArticle(older)).toMatchObject({ outcome: "unchanged", revision: 1 });
        expect((await store.getArticleByUrl("https://example.com/a"))?.record.body.text).toBe("Newer.");
      });

      it("gives null for unknown ids and URLs, and an empty revision list", async () => {
        await fresh();
        expect(await store.getArticle("art_unknown")).toBeNull();
        expect(await store.getArticleByUrl("https://nowhere.example/x")).toBeNull();
        expect(await store.getArticleByUrl("not a url")).toBeNull();
        expect(await store.getStory("sty_unknown")).toBeNull();
        expect(await store.listRevisions("art_unknown")).toEqual([]);
        expect(await store.getLatestSnapshot("https://nowhere.example/x")).toBeNull();
      });

      it("is safe to migrate again", async () => {
        await fresh();
        const report = await store.migrate();
        expect(report.applied).toEqual([]);
        expect(report.from).toBe(report.to);
        expect(report.backend).toBe(harness.backend);
      });
    });

    describe("concurrent writers", () => {
      it("gives one article and a gap-free revision history when many writers upsert one URL", async () => {
        await fresh();
        const writers = await Promise.all(Array.from({ length: 4 }, () => another()));
        const url = "https://example.com/contended";
        const versions = Array.from({ length: 24 }, (_, i) =>
          makeRecord(url, { body: `Version ${i} of the text.` }),
        );
        const results = await Promise.all(
          versions.map((record, i) => (writers[i % writers.length] as ArticleStore).upsertArticle(record)),
        );
        expect(new Set(results.map((r) => r.articleId)).size).toBe(1);
        expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
        expect(results.filter((r) => r.outcome === "revised")).toHaveLength(23);
        expect(results.map((r) => r.revision).sort((a, b) => a - b)).toEqual(versions.map((_, i) => i + 1));
        const revisions = await store.listRevisions(results[0]?.articleId as string);
        expect(revisions.map((r) => r.revision)).toEqual(versions.map((_, i) => i + 1));
        expect(new Set(revisions.map((r) => r.contentHash)).size).toBe(24);
        const current = await store.getArticle(results[0]?.articleId as string);
        expect(current?.revision).toBe(24);
        expect(current?.record).toEqual(revisions[23]?.record);
        expect(await store.stats()).toMatchObject({ articles: 1, revisions: 24, stories: 1 });
      });

      it("loses and duplicates nothing under many parallel writers over overlapping URLs", async () => {
        await fresh();
        const writers = await Promise.all(Array.from({ length: 6 }, () => another()));
        const urls = Array.from({ length: 40 }, (_, i) => `https://site${i % 4}.example/story/${i}`);
        // Every writer sends every URL, in its own order, with one of 3 contents: same-content
        // sends must come back "unchanged", different ones "revised".
        const jobs = writers.flatMap((writer, w) =>
          urls.map((url, i) => ({
            writer,
            record: makeRecord(url, { body: `Content ${(i + w) % 3} of ${url}.` }),
            order: (i * 7 + w * 13) % urls.length,
          })),
        );
        jobs.sort((a, b) => a.order - b.order);
        const results = await Promise.all(jobs.map((job) => job.writer.upsertArticle(job.record)));
        const created = results.filter((r) => r.outcome === "created").length;
        const revised = results.filter((r) => r.outcome === "revised").length;
        expect(created).toBe(urls.length);
        const stats = await store.stats();
        expect(stats.articles).toBe(urls.length);
        expect(stats.revisions).toBe(created + revised);
        expect(stats.stories).toBe(urls.length);
        for (const url of urls) {
          const article = (await store.getArticleByUrl(url)) as StoredArticle;
          const revisions = await store.listRevisions(article.articleId);
          expect(revisions.map((r) => r.revision)).toEqual(revisions.map((_, i) => i + 1));
          expect(article.revision).toBe(revisions.length);
          expect(article.record.contentHash).toBe(revisions[revisions.length - 1]?.contentHash);
          // Consecutive revisions always differ: an unchanged send never made one.
          for (let i = 1; i < revisions.length; i++) {
            expect(revisions[i]?.contentHash).not.toBe(revisions[i - 1]?.contentHash);
          }
        }
      });

      it("links a syndicated copy and its origin arriving at the same time into one story", async () => {
        await fresh();
        const writers = await Promise.all(Array.from({ length: 3 }, () => another()));
        const { wsj, australian, newsbite } = kurskRecords();
        for (let round = 0; round < 3; round++) {
          const records = [wsj, australian, newsbite].map((r) => ({
            ...r,
            body: { ...r.body, text: `${r.body.text} r${round}` },
            contentHash: `${r.contentHash}-${round}`,
          }));
          const results = await Promise.all(
            records.map((r, i) => (writers[i] as ArticleStore).upsertArticle(r)),
          );
          const storyIds = new Set<string>();
          for (const r of results) storyIds.add((await store.getArticle(r.articleId))?.storyId as string);
          expect(storyIds.size).toBe(1);
        }
        expect(await store.stats()).toMatchObject({ articles: 3, stories: 1 });
      });
    });

    describe("stories", () => {
      it("links copies by explicit provenance, in any arrival order, and builds the story view", async () => {
        const { wsj, australian, newsbite } = kurskRecords();
        const orders = [
          [wsj, australian, newsbite],
          [newsbite, australian, wsj],
          [australian, newsbite, wsj],
        ];
        for (const order of orders) {
          await fresh();
          const results = [];
          for (const record of order) results.push(await store.upsertArticle(record));
          const storyIds = new Set<string>();
          for (const r of results) storyIds.add((await store.getArticle(r.articleId))?.storyId as string);
          expect(storyIds.size, order.map((r) => r.publisher).join(" → ")).toBe(1);
          const storyId = [...storyIds][0] as string;
          const view = await store.getStory(storyId);
          expect(view?.storyId).toBe(storyId);
          expect(view?.bodyFrom).toBe(wsj.id);
          expect(view?.metadataFrom).toBe(wsj.id);
          expect(view?.title).toBe(wsj.title);
          expect(view?.authors).toEqual(wsj.authors);
          expect(view?.body.text).toBe(wsj.body.text);
          expect(view?.sources.map((s) => [s.url, s.role, s.articleId])).toEqual([
            [WSJ, "origin", wsj.id],
            [AUSTRALIAN, "syndicator", australian.id],
            [NEWSBITE, "aggregator", newsbite.id],
          ]);
          expect(view?.sources[0]?.evidence).toEqual(
            expect.arrayContaining(["canonical", "original-url-line"]),
          );
          for (const url of [WSJ, AUSTRALIAN, NEWSBITE]) {
            expect((await store.getArticleByUrl(url))?.storyId).toBe(storyId);
          }
          const page = await store.listArticles({ limit: 10, storyId });
          expect(page.items.map((i) => i.articleId).sort()).toEqual(
            [wsj.id, australian.id, newsbite.id].sort(),
          );
        }
      });

      it("finds a story by a URL only a provenance entry names, and lists that copy as a source", async () => {
        await fresh();
        const { australian } = kurskRecords();
        const result = await store.upsertArticle(australian);
        expect((await store.getArticleByUrl(WSJ))?.articleId).toBe(result.articleId);
        const view = await store.getStory(result.storyId);
        expect(view?.sources.map((s) => [s.url, s.role, s.articleId])).toEqual([
          [AUSTRALIAN, "syndicator", australian.id],
          [WSJ, "origin", null],
        ]);
      });

      it("merges two stories when a later record names both, and old story ids keep resolving", async () => {
        await fresh();
        const a = await store.upsertArticle(makeRecord("https://a.example/1", { body: fillerText(1) }));
        const b = await store.upsertArticle(makeRecord("https://b.example/1", { body: fillerText(2) }));
        expect(a.storyId).not.toBe(b.storyId);
        const c = await store.upsertArticle(
          makeRecord("https://c.example/1", {
            body: fillerText(3),
            provenance: [
              { role: "origin", name: "A", url: "https://a.example/1", evidence: ["json-ld"] },
              { role: "syndicator", name: "B", url: "https://b.example/1", evidence: ["credit-line"] },
            ],
          }),
        );
        expect(c.storyId).toBe(a.storyId);
        for (const id of [a.articleId, b.articleId, c.articleId]) {
          expect((await store.getArticle(id))?.storyId).toBe(a.storyId);
        }
        expect((await store.getStory(b.storyId))?.storyId).toBe(a.storyId);
        expect((await store.listArticles({ limit: 10, storyId: b.storyId })).items).toHaveLength(3);
        expect(await store.stats()).toMatchObject({ articles: 3, stories: 1 });
        const view = await store.getStory(a.storyId);
        expect(view?.sources.find((s) => s.articleId === c.articleId)?.link).toBe("provenance");
      });

      it("links a near-duplicate body (header, footer, a few words changed) and nothing else", async () => {
        await fresh();
        const text = fillerText(11, 300);
        const original = await store.upsertArticle(
          makeRecord("https://origin.example/story", { body: text }),
        );
        const copy = await store.upsertArticle(
          makeRecord("https://aggregator.example/copy", {
            body: nearCopy(text, "Republished with permission from Origin News."),
            publishedAt: "2024-05-01T09:30:00.000Z",
          }),
        );
        const other = await store.upsertArticle(
          makeRecord("https://origin.example/other", { body: fillerText(12, 300) }),
        );
        expect(copy.storyId).toBe(original.storyId);
        expect(other.storyId).not.toBe(original.storyId);
        const view = await store.getStory(original.storyId);
        const copySource = view?.sources.find((s) => s.articleId === copy.articleId);
        expect(copySource?.link).toBe("near-duplicate");
        expect(copySource?.evidence).toContain("near-duplicate");
        expect(copySource?.similarity).toBeGreaterThan(0.45);
        expect(view?.sources[0]?.articleId).toBe(original.articleId);
        expect(view?.sources[0]?.role).toBe("origin");
      });

      it("makes one story of a wire story two hosting sites carry, with the wire as its origin", async () => {
        await fresh();
        const text = fillerText(13, 300);
        const hosted = (site: string, name: string, footer: string) =>
          makeRecord(`https://www.${site}/news/dam-opens`, {
            body: nearCopy(text, footer),
            publisher: name,
            provenance: [
              { role: "origin", name: "The Associated Press", url: null, evidence: ["dateline", "byline"] },
              { role: "syndicator", name, url: `https://www.${site}/news/dam-opens`, evidence: ["page"] },
            ],
          });
        const gazette = await store.upsertArticle(
          hosted("gazette.example", "Example Gazette", "Gazette footer."),
        );
        const ledger = await store.upsertArticle(
          hosted("ledger.example", "Example Ledger", "Ledger footer."),
        );
        expect(ledger.storyId).toBe(gazette.storyId);
        const view = await store.getStory(gazette.storyId);
        expect(view?.origin).toEqual({ name: "The Associated Press", url: null });
        // Neither hosting site published it first: both are syndicators of the wire's story.
        expect(view?.sources.map((source) => source.role)).toEqual(["syndicator", "syndicator"]);
        const { wsj, australian, newsbite } = kurskRecords();
        for (const record of [newsbite, australian, wsj]) await store.upsertArticle(record);
        const kursk = await store.getArticleByUrl(WSJ);
        expect((await store.getStory(kursk?.storyId as string))?.origin).toEqual({
          name: "The Wall Street Journal",
          url: WSJ,
        });
      });

      it("makes no false merge among the corpus articles, and merges each one's near-copy", async (context) => {
        const corpus = loadCorpus();
        if (!corpus) {
          context.skip();
          return;
        }
        await fresh();
        const originals = new Map<string, string>();
        for (const [i, item] of corpus.entries()) {
          const result = await store.upsertArticle(
            makeRecord(`https://corpus${i}.example/original`, { body: item.articleBody }),
          );
          originals.set(result.articleId, result.storyId);
        }
        expect(new Set(originals.values()).size).toBe(corpus.length);
        for (const [i, item] of corpus.entries()) {
          const copy = await store.upsertArticle(
            makeRecord(`https://copies.example/${i}`, {
              body: nearCopy(item.articleBody, `Copy ${i} from corpus.`),
            }),
          );
          const original = await store.getArticleByUrl(`https://corpus${i}.example/original`);
          expect(copy.storyId, `copy of corpus article ${i}`).toBe(original?.storyId);
        }
        expect(await store.stats()).toMatchObject({ articles: corpus.length * 2, stories: corpus.length });
      }, 120_000);
    });

    describe("reads", () => {
      it("filters by site, story, language, paywall, search words and since", async () => {
        await fresh();
        await store.upsertArticle(
          makeRecord("https://www.alpha.example/1", { title: "Budget Vote Delayed", language: "en-AU" }),
        );
        await store.upsertArticle(makeRecord("https://alpha.example/2", { title: "Floods", language: "de" }));
        const paywalled = await store.upsertArticle(
          makeRecord("https://beta.example/1", {
            title: "The budget, explained",
            paywall: { accessibleForFree: false, truncated: false },
          }),
        );
        await store.upsertArticle(
          makeRecord("https://beta.example/2", {
            title: null,
            paywall: { accessibleForFree: null, truncated: true },
          }),
        );
        const ids = async (query: Omit<Parameters<ArticleStore["listArticles"]>[0], "limit">) =>
          (await listAll(store, { limit: 2, ...query })).map((a) => a.record.url).sort();
        expect(await ids({ site: "alpha.example" })).toEqual([
          "https://alpha.example/2",
          "https://www.alpha.example/1",
        ]);
        expect(await ids({ site: "www.alpha.example" })).toHaveLength(2);
        expect(await ids({ language: "en" })).toEqual([
          "https://beta.example/1",
          "https://beta.example/2",
          "https://www.alpha.example/1",
        ]);
        expect(await ids({ language: "en-au" })).toEqual(["https://www.alpha.example/1"]);
        expect(await ids({ paywalled: true })).toEqual(["https://beta.example/1", "https://beta.example/2"]);
        expect(await ids({ paywalled: false })).toEqual([
          "https://alpha.example/2",
          "https://www.alpha.example/1",
        ]);
        expect(await ids({ q: "BUDGET" })).toEqual(["https://beta.example/1", "https://www.alpha.example/1"]);
        expect(await ids({ q: "budget", site: "beta.example" })).toEqual(["https://beta.example/1"]);
        expect(await ids({ storyId: paywalled.storyId })).toEqual(["https://beta.example/1"]);
        const all = await listAll(store, { limit: 1 });
        expect(all).toHaveLength(4);
        const third = all[2] as StoredArticle;
        expect((await ids({ since: third.updatedAt })).length).toBeGreaterThanOrEqual(2);
        expect(await ids({ since: "2999-01-01" })).toEqual([]);
      });

      it("rejects a malformed cursor with STORE_BAD_CURSOR and a bad limit with INPUT_INVALID", async () => {
        await fresh();
        for (const cursor of ["garbage!", "bm90LWEtY3Vyc29y", Buffer.from("12|a b").toString("base64url")]) {
          const error = await store.listArticles({ limit: 10, cursor }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(CopydeskError);
          expect((error as CopydeskError).code).toBe("STORE_BAD_CURSOR");
        }
        for (const limit of [0, 1001, 2.5]) {
          await expect(store.listArticles({ limit })).rejects.toMatchObject({ code: "INPUT_INVALID" });
        }
        await expect(store.listArticles({ limit: 10, since: "yesterday" })).rejects.toMatchObject({
          code: "INPUT_INVALID",
        });
      });

      it("pages with a cursor that neither skips nor repeats rows while writers run", async () => {
        await fresh();
        const writer = await another();
        for (let i = 0; i < 150; i++) await store.upsertArticle(makeRecord(`https://seed.example/${i}`));
        let writing = true;
        const writes = (async () => {
          for (let i = 0; i < 120; i++) {
            // New articles, and revisions of old ones (which move to the end of the order).
            if (i % 2 === 0) await writer.upsertArticle(makeRecord(`https://new.example/${i}`));
            else
              await writer.upsertArticle(makeRecord(`https://seed.example/${i}`, { body: `Revised ${i}.` }));
          }
          writing = false;
        })();
        const seen: StoredArticle[] = [];
        let cursor: string | null = null;
        let pages = 0;
        for (;;) {
          const stillWriting = writing;
          const page = await store.listArticles({ limit: 7, cursor });
          seen.push(...page.items);
          cursor = page.endCursor;
          pages++;
          // Once the writers were done before a page was asked for, its end is the end.
          if (!stillWriting && !page.nextCursor) break;
          if (!page.nextCursor) await new Promise((resolve) => setTimeout(resolve, 2));
        }
        await writes;
        expect(pages).toBeGreaterThan(10);
        // No repeats: every (updatedAt, id) key is seen once, in increasing order.
        const keys = seen.map((a) => `${a.updatedAt}|${a.articleId}|${a.revision}`);
        expect(new Set(keys).size).toBe(keys.length);
        // No skips: the current version of every article was seen.
        const current = await listAll(store, { limit: 1000 });
        expect(current).toHaveLength(150 + 60);
        const seenVersions = new Set(seen.map((a) => `${a.articleId}@${a.revision}`));
        for (const article of current)
          expect(seenVersions.has(`${article.articleId}@${article.revision}`)).toBe(true);
        // A revised article may show up twice (before and after), nothing else does.
        const counts = new Map<string, number>();
        for (const a of seen) counts.set(a.articleId, (counts.get(a.articleId) ?? 0) + 1);
        for (const article of current) {
          expect(counts.get(article.articleId)).toBeLessThanOrEqual(article.revision);
        }
      }, 60_000);

      it("streams every current record in change order, with since and site filters", async () => {
        await fresh();
        for (let i = 0; i < 30; i++) await store.upsertArticle(makeRecord(`https://s${i % 3}.example/${i}`));
        // `since` has millisecond precision: leave one between the last create and the revision.
        await new Promise((resolve) => setTimeout(resolve, 5));
        await store.upsertArticle(makeRecord("https://s0.example/0", { body: "Revised." }));
        const all = await collect(store.exportArticles());
        expect(all).toHaveLength(30);
        expect(all[all.length - 1]?.record.url).toBe("https://s0.example/0");
        expect(all[all.length - 1]?.record.body.text).toBe("Revised.");
        // Each line carries the store's ids and revision around the record, as getArticle has them.
        for (const line of all) {
          expect(() => ExportLineSchema.parse(line)).not.toThrow();
          const stored = await store.getArticle(line.articleId);
          expect(line).toEqual({
            articleId: stored?.articleId,
            storyId: stored?.storyId,
            revision: stored?.revision,
            updatedAt: stored?.updatedAt,
            record: stored?.record,
          });
        }
        expect(all[all.length - 1]?.revision).toBe(2);
        expect(await collect(store.exportArticles({ site: "s1.example" }))).toHaveLength(10);
        const latest = await store.getArticleByUrl("https://s0.example/0");
        expect(await collect(store.exportArticles({ since: latest?.updatedAt as string }))).toHaveLength(1);
      });
    });

    describe("search", () => {
      const urls = (page: { items: StoredArticle[] }) => page.items.map((a) => a.record.url);

      it("matches words in any order across title, standfirst and body, best match first", async () => {
        await fresh();
        await store.upsertArticle(
          makeRecord("https://search.example/body", {
            title: "Council meeting notes",
            body: "The harbour bridge reopened on Tuesday after repairs to the deck.",
          }),
        );
        await store.upsertArticle(
          makeRecord("https://search.example/title", {
            title: "Harbour bridge reopens",
            body: "Traffic moved again on Tuesday morning.",
          }),
        );
        await store.upsertArticle(
          makeRecord("https://search.example/standfirst", {
            title: "Weekend traffic",
            standfirst: "Drivers return to the harbour bridge",
            body: "A short note on the traffic.",
          }),
        );
        await store.upsertArticle(
          makeRecord("https://search.example/other", { title: "Floods in the north" }),
        );
        // Words, not a phrase: any order, every word must match somewhere.
        expect(urls(await store.listArticles({ limit: 10, q: "bridge harbour" }))).toEqual([
          "https://search.example/title",
          "https://search.example/standfirst",
          "https://search.example/body",
        ]);
        expect(urls(await store.listArticles({ limit: 10, q: "deck" }))).toEqual([
          "https://search.example/body",
        ]);
        expect(urls(await store.listArticles({ limit: 10, q: "deck floods" }))).toEqual([]);
        expect(urls(await store.listArticles({ limit: 10, q: "DRIVERS" }))).toEqual([
          "https://search.example/standfirst",
        ]);
        // Change order on request: the feeds' newest-first search is built on it.
        const byChange = await store.listArticles({ limit: 10, q: "bridge harbour", order: "updated" });
        expect(urls(byChange)).toEqual([
          "https://search.example/body",
          "https://search.example/title",
          "https://search.example/standfirst",
        ]);
        // Other filters combine with q.
        expect(
          urls(await store.listArticles({ limit: 10, q: "harbour", since: byChange.items[1]?.updatedAt })),
        ).toEqual(["https://search.example/title", "https://search.example/standfirst"]);
      });

      it("treats quotes and operators in q as plain text: no error, no injection", async () => {
        await fresh();
        await store.upsertArticle(makeRecord("https://ops.example/1", { title: "Rates rise again" }));
        await store.upsertArticle(makeRecord("https://ops.example/2", { title: "Or else: near miss" }));
        const hostile = [
          '"',
          '"rates',
          "rates*",
          "rates NEAR(rise)",
          "-rates",
          "title:rates",
          "rates OR floods",
          "(rates) AND (rise",
          "rates'; DROP TABLE articles; --",
          "!!! ::: ***",
          "{title} : rates",
          "^rates",
          "rates & | ! <-> rise",
        ];
        for (const q of hostile) {
          const page = await store.listArticles({ limit: 10, q });
          expect(page.items.every((a) => a.record.url.startsWith("https://ops.example/"))).toBe(true);
        }
        // Operators are words or separators: "OR" must match as a word, "-" does not exclude.
        expect(urls(await store.listArticles({ limit: 10, q: "rates OR floods" }))).toEqual([]);
        expect(urls(await store.listArticles({ limit: 10, q: "-rates" }))).toEqual(["https://ops.example/1"]);
        expect(urls(await store.listArticles({ limit: 10, q: "title:rates" }))).toEqual([]);
        expect(urls(await store.listArticles({ limit: 10, q: '"rise rates"' }))).toEqual([
          "https://ops.example/1",
        ]);
        expect(urls(await store.listArticles({ limit: 10, q: "near(miss)" }))).toEqual([
          "https://ops.example/2",
        ]);
        // No word at all matches nothing.
        expect(urls(await store.listArticles({ limit: 10, q: '"*-:()' }))).toEqual([]);
        expect((await store.stats()).articles).toBe(2);
      });

      it("stems: PostgreSQL by the record's language, SQLite with Porter (English) rules", async () => {
        await fresh();
        await store.upsertArticle(
          makeRecord("https://stem.example/en", { title: "Running the marathons", language: "en-GB" }),
        );
        await store.upsertArticle(
          makeRecord("https://stem.example/de", { title: "Die Häuser der Stadt", language: "de" }),
        );
        await store.upsertArticle(
          makeRecord("https://stem.example/fr", { title: "Les élections régionales", language: "fr" }),
        );
        // English inflections meet on both backends (Porter there, the english config here).
        expect(urls(await store.listArticles({ limit: 10, q: "runs marathon" }))).toEqual([
          "https://stem.example/en",
        ]);
        // Case and (on both) diacritics-insensitive exact words match in every language.
        expect(urls(await store.listArticles({ limit: 10, q: "häuser" }))).toEqual([
          "https://stem.example/de",
        ]);
        expect(urls(await store.listArticles({ limit: 10, q: "élections" }))).toEqual([
          "https://stem.example/fr",
        ]);
        if (harness.backend === "postgres") {
          // French plurals meet their singular through the french config the record's language picked.
          expect(urls(await store.listArticles({ limit: 10, q: "élection régionale" }))).toEqual([
            "https://stem.example/fr",
          ]);
          expect(urls(await store.listArticles({ limit: 10, q: "élection", language: "fr" }))).toEqual([
            "https://stem.example/fr",
          ]);
        } else {
          // unicode61 with remove_diacritics 2 folds accents: "elections" finds "élections".
          expect(urls(await store.listArticles({ limit: 10, q: "elections" }))).toEqual([
            "https://stem.example/fr",
          ]);
        }
      });

      it("finds an updated article by its new words and no longer by its old ones", async () => {
        await fresh();
        await store.upsertArticle(
          makeRecord("https://rev.example/1", { title: "Storm warning", body: "Gales expected overnight." }),
        );
        expect(urls(await store.listArticles({ limit: 10, q: "gales" }))).toEqual(["https://rev.example/1"]);
        await store.upsertArticle(
          makeRecord("https://rev.example/1", {
            title: "Storm passes",
            body: "Sunshine returned by noon.",
            fetchedAt: "2024-05-02T09:00:00.000Z",
          }),
        );
        expect(urls(await store.listArticles({ limit: 10, q: "gales" }))).toEqual([]);
        expect(urls(await store.listArticles({ limit: 10, q: "warning" }))).toEqual([]);
        expect(urls(await store.listArticles({ limit: 10, q: "sunshine storm" }))).toEqual([
          "https://rev.example/1",
        ]);
        // An unchanged re-upsert leaves the index as it is.
        await store.upsertArticle(
          makeRecord("https://rev.example/1", {
            title: "Storm passes",
            body: "Sunshine returned by noon.",
            fetchedAt: "2024-05-02T09:00:00.000Z",
          }),
        );
        expect(urls(await store.listArticles({ limit: 10, q: "noon" }))).toEqual(["https://rev.example/1"]);
      });

      it("pages ranked results and change-ordered results without skipping or repeating", async () => {
        await fresh();
        for (let i = 0; i < 45; i++) {
          // Three relevance tiers with ties inside each: title, standfirst, body-only matches.
          const tier = i % 3;
          await store.upsertArticle(
            makeRecord(`https://page.example/${i}`, {
              title: tier === 0 ? `Pager story ${i}` : `Story ${i}`,
              standfirst: tier === 1 ? "About the pager" : null,
              body: tier === 2 ? `${fillerText(i, 30)} pager` : fillerText(i, 30),
            }),
          );
        }
        for (const order of ["relevance", "updated"] as const) {
          for (const limit of [1, 4, 7]) {
            const seen = await listAll(store, { limit, q: "pager", order });
            expect(seen).toHaveLength(45);
            expect(new Set(seen.map((a) => a.articleId)).size).toBe(45);
          }
        }
        const ranked = await listAll(store, { limit: 4, q: "pager" });
        const tierOf = (a: StoredArticle) =>
          a.record.title?.startsWith("Pager") ? 0 : a.record.standfirst !== null ? 1 : 2;
        const tiers = ranked.map(tierOf);
        expect(tiers).toEqual([...tiers].sort());
        // A relevance cursor is not a change cursor, and the other way round.
        const first = await store.listArticles({ limit: 4, q: "pager" });
        await expect(
          store.listArticles({ limit: 4, cursor: first.nextCursor as string }),
        ).rejects.toMatchObject({ code: "STORE_BAD_CURSOR" });
        const plain = await store.listArticles({ limit: 4 });
        await expect(
          store.listArticles({ limit: 4, q: "pager", cursor: plain.nextCursor as string }),
        ).rejects.toMatchObject({ code: "STORE_BAD_CURSOR" });
      });

      it("pages newest change first, with and without q, on a cursor of its own", async () => {
        await fresh();
        for (let i = 0; i < 12; i++) {
          await store.upsertArticle(
            makeRecord(`https://newest.example/${i}`, {
              title: i % 2 === 1 ? `Harbour ${i}` : `Story ${i}`,
              body: fillerText(i + 500, 30),
            }),
          );
        }
        // A revision moves its article to the newest end of the change order.
        const revised = await store.upsertArticle(
          makeRecord("https://newest.example/3", {
            title: "Harbour 3 revised",
            body: fillerText(503, 30),
            fetchedAt: "2024-05-02T09:00:00.000Z",
          }),
        );
        expect(revised.outcome).toBe("revised");
        const ids = (items: StoredArticle[]) => items.map((a) => a.articleId);
        const oldestFirst = ids(await listAll(store, { limit: 100 }));
        expect(oldestFirst).toHaveLength(12);
        expect(oldestFirst.at(-1)).toBe(revised.articleId);
        for (const limit of [1, 5, 100]) {
          expect(ids(await listAll(store, { limit, order: "newest" }))).toEqual([...oldestFirst].reverse());
        }
        const matches = ids(await listAll(store, { limit: 100, q: "harbour", order: "updated" }));
        expect(matches).toHaveLength(6);
        for (const limit of [1, 4, 100]) {
          expect(ids(await listAll(store, { limit, q: "harbour", order: "newest" }))).toEqual(
            [...matches].reverse(),
          );
        }
        // A newest-first cursor is not a change cursor, and the other way round.
        const first = await store.listArticles({ limit: 2, order: "newest" });
        await expect(
          store.listArticles({ limit: 2, cursor: first.nextCursor as string }),
        ).rejects.toMatchObject({ code: "STORE_BAD_CURSOR" });
        const plain = await store.listArticles({ limit: 2 });
        await expect(
          store.listArticles({ limit: 2, order: "newest", cursor: plain.nextCursor as string }),
        ).rejects.toMatchObject({ code: "STORE_BAD_CURSOR" });
      });

      it("pages through exact score ties in id order, from the first page and from every cursor", async () => {
        await fresh();
        // Three title matches above fourteen identical body matches: equal scores, so id decides.
        for (let i = 0; i < 3; i++) {
          await store.upsertArticle(
            makeRecord(`https://tie.example/top${i}`, { title: `Anchor ${i}`, body: fillerText(i + 1, 20) }),
          );
        }
        for (let i = 0; i < 14; i++) {
          await store.upsertArticle(
            makeRecord(`https://tie${i % 3}.example/same${i}`, {
              title: "Same",
              body: "The same anchor text.",
            }),
          );
        }
        const tied = (await listAll(store, { limit: 100 }))
          .filter((a) => a.record.title === "Same")
          .map((a) => a.articleId)
          .sort();
        for (const limit of [1, 2, 3, 5, 13, 16, 17]) {
          const seen = await listAll(store, { limit, q: "anchor" });
          expect(seen).toHaveLength(17);
          expect(seen.slice(0, 3).every((a) => a.record.title?.startsWith("Anchor"))).toBe(true);
          expect(seen.slice(3).map((a) => a.articleId)).toEqual(tied);
        }
        // With a filter too (another plan on some backends): the same order, restricted.
        const onSite = await listAll(store, { limit: 2, q: "anchor", site: "tie1.example" });
        const expected = tied.filter((id) => onSite.some((a) => a.articleId === id));
        expect(onSite.map((a) => a.articleId)).toEqual(expected);
        expect(onSite).toHaveLength(5);
      });

      it("lists searches in change order alike for a rare and a common word, with and without filters", async () => {
        await fresh();
        for (let i = 0; i < 60; i++) {
          const rare = i % 13 === 5 ? " rarely" : "";
          await store.upsertArticle(
            makeRecord(`https://mix${i % 4}.example/${i}`, {
              title: `Common story ${i}`,
              body: `${fillerText(i + 100, 30)}${rare}`,
            }),
          );
        }
        const everything = await listAll(store, { limit: 100 });
        for (const [q, has] of [
          ["common", () => true],
          ["rarely", (a: StoredArticle) => a.record.body.text.endsWith(" rarely")],
        ] as const) {
          for (const site of [undefined, "mix3.example"]) {
            const expected = everything
              .filter((a) => has(a) && (site === undefined || a.record.url.includes(`//${site}/`)))
              .map((a) => a.articleId);
            for (const limit of [1, 4, 50]) {
              const seen = await listAll(store, { limit, q, order: "updated", ...(site ? { site } : {}) });
              expect(
                seen.map((a) => a.articleId),
                `${q} ${site} ${limit}`,
              ).toEqual(expected);
            }
          }
        }
      });
    });

    describe("snapshots", () => {
      it("keeps the latest raw page per URL, found by any of its URLs, for conditional GETs", async () => {
        await fresh();
        const url = "https://example.com/page";
        const older = snapshotOf(url, "2024-05-01T00:00:00.000Z", "<p>old</p>");
        const newer = snapshotOf(url, "2024-05-02T00:00:00.000Z", "<p>new</p>", {
          requestedUrl: "https://example.com/page?utm_source=rss",
          finalUrl: "https://www.example.com/page",
        });
        await store.putSnapshot(older);
        await store.putSnapshot(newer);
        await store.putSnapshot(older);
        for (const lookup of [url, "https://example.com/page?utm_medium=x", "https://www.example.com/page"]) {
          const got = await store.getLatestSnapshot(lookup);
          expect(got, lookup).toEqual(newer);
        }
        expect((await store.stats()).snapshots).toBe(1);
      });

      it("iterates snapshots by site and fetch date", async () => {
        await fresh();
        for (let i = 0; i < 120; i++) {
          const day = String(1 + (i % 20)).padStart(2, "0");
          await store.putSnapshot(
            snapshotOf(
              `https://${i % 2 ? "odd" : "even"}.example/${i}`,
              `2024-05-${day}T00:00:00.000Z`,
              `page ${i}`,
            ),
          );
        }
        const all = await collect(store.iterateSnapshots());
        expect(all).toHaveLength(120);
        expect(all.map((s) => s.fetchedAt)).toEqual([...all.map((s) => s.fetchedAt)].sort());
        expect(await collect(store.iterateSnapshots({ site: "odd.example" }))).toHaveLength(60);
        const since = await collect(
          store.iterateSnapshots({ since: "2024-05-11", site: "www.even.example" }),
        );
        expect(since).toHaveLength(30);
        expect(since.every((s) => s.fetchedAt >= "2024-05-11")).toBe(true);
      });
    });
  });
}

function backendOf(store: ArticleStore): StoreBackend {
  return store.backend;
}
