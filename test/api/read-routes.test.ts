import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArticleRecordSchema } from "../../src/domain/article.js";
import { articleIdFor } from "../../src/domain/url.js";
import { makeRecord } from "../support/records.js";
import { startTestApi, type TestApi } from "./support.js";

const ORIGIN = "https://www.wsj.com/world/russia/kursk-offensive-1";
const AGGREGATOR = "https://newsbite.example/kursk";
const SYNDICATED_ONLY = "https://www.theaustralian.com.au/world/kursk";

let api: TestApi;

async function get(url: string) {
  const response = await api.app.inject({ method: "GET", url });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

beforeAll(async () => {
  api = await startTestApi();
  const { store } = api;
  await store.upsertArticle(
    makeRecord(ORIGIN, {
      title: "Ukraine presses Kursk offensive",
      publisher: "The Wall Street Journal",
      paywall: { accessibleForFree: false, truncated: false },
      fetchedAt: "2024-05-01T09:00:00.000Z",
      images: [
        {
          url: "https://images.wsj.net/kursk.jpg",
          caption: "Troops near Sudzha",
          credit: "AFP",
          alt: null,
          isLead: true,
        },
      ],
      provenance: [{ role: "origin", name: "The Wall Street Journal", url: ORIGIN, evidence: ["canonical"] }],
    }),
  );
  await store.upsertArticle(
    makeRecord(AGGREGATOR, {
      title: "Kursk: the offensive, summarised",
      publisher: "NewsBite",
      language: "en-AU",
      fetchedAt: "2024-05-01T10:00:00.000Z",
      provenance: [
        { role: "origin", name: "The Wall Street Journal", url: ORIGIN, evidence: ["original-url-line"] },
        { role: "syndicator", name: "The Australian", url: SYNDICATED_ONLY, evidence: ["credit-line"] },
        { role: "aggregator", name: "NewsBite", url: AGGREGATOR, evidence: ["canonical"] },
      ],
    }),
  );
  // `since` has millisecond precision: the last article is written in a later millisecond than
  // the others, so "since its updatedAt" names it alone (it did not always on a fast machine).
  await new Promise((resolve) => setTimeout(resolve, 5));
  await store.upsertArticle(
    makeRecord("https://lemonde.example/politique/budget", {
      title: "Le budget adopté",
      publisher: "Le Monde",
      language: "fr",
      body: "Texte entièrement différent sur le budget de l'État.",
      fetchedAt: "2024-05-01T11:00:00.000Z",
    }),
  );
});

afterAll(async () => {
  await api?.close();
});

describe("GET /v1/articles", () => {
  it("lists every article oldest change first, with records that follow the article schema", async () => {
    const { status, body } = await get("/v1/articles");
    expect(status).toBe(200);
    expect(body.items).toHaveLength(3);
    expect(body.nextCursor).toBeNull();
    for (const item of body.items) expect(() => ArticleRecordSchema.parse(item.record)).not.toThrow();
    const updated = body.items.map((item: { updatedAt: string }) => item.updatedAt);
    expect([...updated].sort()).toEqual(updated);
  });

  it("pages with the cursor without skipping or repeating", async () => {
    const seen: string[] = [];
    let url = "/v1/articles?limit=2";
    for (let page = 0; page < 5; page++) {
      const { status, body } = await get(url);
      expect(status).toBe(200);
      seen.push(...body.items.map((item: { articleId: string }) => item.articleId));
      if (!body.nextCursor) break;
      url = `/v1/articles?limit=2&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it("filters by site, story, language, paywall and title", async () => {
    const ids = async (query: string) =>
      (await get(`/v1/articles?${query}`)).body.items.map(
        (item: { record: { url: string } }) => item.record.url,
      );
    expect(await ids("site=www.wsj.com")).toEqual([ORIGIN]);
    expect(await ids("language=en")).toHaveLength(2);
    expect(await ids("language=fr")).toEqual(["https://lemonde.example/politique/budget"]);
    expect(await ids("paywalled=true")).toEqual([ORIGIN]);
    expect(await ids("paywalled=false")).toHaveLength(2);
    expect(await ids("q=KURSK")).toHaveLength(2);
    expect(await ids(`q=${encodeURIComponent("offensive kursk")}`)).toHaveLength(2);
    expect((await get(`/v1/articles?q=${encodeURIComponent('"kursk* NEAR(-war): OR (')}`)).status).toBe(200);
    const origin = (await get(`/v1/articles/${articleIdFor(ORIGIN)}`)).body;
    expect(await ids(`story=${origin.storyId}`)).toEqual([ORIGIN, AGGREGATOR]);
  });

  it("takes `since` with an offset or as a date", async () => {
    const all = (await get("/v1/articles")).body.items;
    const last = all[2].updatedAt as string;
    const { body } = await get(`/v1/articles?since=${encodeURIComponent(last.replace("Z", "+00:00"))}`);
    expect(body.items.map((item: { updatedAt: string }) => item.updatedAt)).toEqual([last]);
    expect((await get("/v1/articles?since=2000-01-01")).body.items).toHaveLength(3);
    expect((await get("/v1/articles?since=2999-01-01")).body.items).toHaveLength(0);
  });

  it("answers a bad cursor, a bad limit or an unknown parameter with a 400 JSON error", async () => {
    const cursor = await get("/v1/articles?cursor=not-a-cursor");
    expect(cursor.status).toBe(400);
    expect(cursor.body).toMatchObject({ statusCode: 400, code: "STORE_BAD_CURSOR", action: "skip" });

    const limit = await get("/v1/articles?limit=0");
    expect(limit.status).toBe(400);
    expect(limit.body.code).toBe("INPUT_INVALID");
    expect(limit.body.issues[0].path).toBe("querystring.limit");

    const typo = await get("/v1/articles?sites=wsj.com");
    expect(typo.status).toBe(400);
    expect(typo.body.message).toMatch(/sites/);

    const since = await get("/v1/articles?since=yesterday");
    expect(since.status).toBe(400);
    expect(since.headers["content-type"]).toMatch(/application\/json/);
  });
});

describe("GET /v1/articles/:id and revisions", () => {
  it("returns the stored article", async () => {
    const { status, body } = await get(`/v1/articles/${articleIdFor(ORIGIN)}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ articleId: articleIdFor(ORIGIN), revision: 1 });
    expect(ArticleRecordSchema.parse(body.record).images[0]?.credit).toBe("AFP");
  });

  it("404s an unknown id and 400s a malformed one", async () => {
    const unknown = await get("/v1/articles/art_000000000000000000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      statusCode: 404,
      code: "STORE_NOT_FOUND",
      message: "no article with id art_000000000000000000000000",
      action: "skip",
    });
    expect((await get("/v1/articles/art_000000000000000000000000/revisions")).status).toBe(404);
    expect((await get("/v1/articles/bad%20id")).status).toBe(400);
  });

  it("lists revisions oldest first with the fields that changed", async () => {
    const url = "https://example-news.com/revised";
    await api.store.upsertArticle(
      makeRecord(url, { title: "First title", fetchedAt: "2024-05-02T09:00:00.000Z" }),
    );
    await api.store.upsertArticle(
      makeRecord(url, { title: "Second title", fetchedAt: "2024-05-02T10:00:00.000Z" }),
    );
    const { status, body } = await get(`/v1/articles/${articleIdFor(url)}/revisions`);
    expect(status).toBe(200);
    expect(body.items.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    expect(body.items[1].changedFields).toEqual(["title"]);
    expect(body.items[1].record.title).toBe("Second title");
  });
});

describe("stories and lookup", () => {
  it("returns a story with all its sources", async () => {
    const origin = (await get(`/v1/articles/${articleIdFor(ORIGIN)}`)).body;
    const { status, body } = await get(`/v1/stories/${origin.storyId}`);
    expect(status).toBe(200);
    expect(body.metadataFrom).toBe(articleIdFor(ORIGIN));
    const urls = body.sources.map((source: { url: string }) => source.url);
    expect(urls).toEqual(expect.arrayContaining([ORIGIN, AGGREGATOR, SYNDICATED_ONLY]));
    expect((await get("/v1/stories/story_unknown")).status).toBe(404);
  });

  it("looks a story up by any of its URLs", async () => {
    for (const url of [ORIGIN, AGGREGATOR, SYNDICATED_ONLY, `${ORIGIN}?utm_source=x#top`]) {
      const { status, body } = await get(`/v1/lookup?url=${encodeURIComponent(url)}`);
      expect(status, url).toBe(200);
      expect(body.story.sources.length).toBeGreaterThanOrEqual(3);
      expect(body.article.storyId).toBe(body.story.storyId);
    }
    const missing = await get(`/v1/lookup?url=${encodeURIComponent("https://nowhere.example/x")}`);
    expect(missing.status).toBe(404);
    expect((await get("/v1/lookup")).status).toBe(400);
  });
});

describe("unknown routes", () => {
  it("answers 404 with the JSON error body", async () => {
    const { status, body } = await get("/v1/nothing-here");
    expect(status).toBe(404);
    expect(body).toMatchObject({ code: "API_NOT_FOUND", statusCode: 404 });
  });
});
