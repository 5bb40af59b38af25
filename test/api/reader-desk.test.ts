import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChangeList, DeskList, DeskStory } from "../../src/api/reader/desk-schemas.js";
import { articleIdFor } from "../../src/domain/url.js";
import { HOSTILE_ORIGIN, LE_MONDE, LONG_WORDS, NEWSBITE, SPIEGEL, seedDesk, WSJ } from "./desk-seed.js";
import { bearer, READ_TOKEN, startTestApi, type TestApi } from "./support.js";

/** The reader page's own reads, without a browser. */
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
  await seedDesk(api.store);
});

afterAll(async () => {
  await api?.close();
});

async function desk(query = ""): Promise<DeskList> {
  const response = await api.app.inject(`/reader/stories.json${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function storyOf(url: string): Promise<DeskStory | undefined> {
  const article = await api.store.getArticle(articleIdFor(url));
  return (await desk()).stories.find((story) => story.storyId === article?.storyId);
}

describe("GET /reader/stories.json", () => {
  it("lists one row per story, newest change first, with its copies, origin, paywall and language", async () => {
    const { stories, sites, languages } = await desk();
    expect(stories).toHaveLength(5);
    expect(new Set(stories.map((story) => story.storyId)).size).toBe(5);
    expect(stories.map((story) => story.updatedAt)).toEqual(
      [...stories.map((story) => story.updatedAt)].sort().reverse(),
    );
    expect(await storyOf(NEWSBITE)).toMatchObject({
      title: "Ukraine presses Kursk offensive",
      articleId: articleIdFor(WSJ),
      publisher: "The Wall Street Journal",
      site: "wsj.com",
      language: "en",
      copies: 2,
      namedCopies: 1,
      truncatedCopies: 1,
      origin: { role: "origin", name: "The Wall Street Journal", url: WSJ, site: "wsj.com" },
    });
    expect((await storyOf(WSJ))?.copySites.sort()).toEqual(["newsbite.example", "wsj.com"]);
    expect(await storyOf(LE_MONDE)).toMatchObject({
      site: "lemonde.fr",
      language: "fr",
      copies: 1,
      truncatedCopies: 1,
      origin: null,
    });
    expect((await storyOf(LONG_WORDS))?.origin).toMatchObject({ name: null, role: "origin" });
    expect(sites).toEqual(
      expect.arrayContaining(["lemonde.fr", "newsbite.example", "spiegel.de", "wsj.com"]),
    );
    expect(languages).toEqual(["de", "en", "en-AU", "fr"]);
  });

  it("keeps what records say as data", async () => {
    const hostile = (await desk()).stories.find((story) => story.origin?.name === HOSTILE_ORIGIN);
    expect(hostile?.origin?.url).toBe("javascript:alert(1)");
  });

  it("filters by a site any copy is on, by language, and by search words", async () => {
    const ids = async (query: string) => (await desk(query)).stories.map((story) => story.url);
    expect(await ids("?site=newsbite.example")).toEqual([WSJ]);
    expect(await ids("?site=www.LeMonde.fr")).toEqual([LE_MONDE]);
    expect(await ids("?language=fr")).toEqual([LE_MONDE]);
    expect((await ids("?language=en")).sort()).toEqual(
      [WSJ, LONG_WORDS, "https://hostile.example/markup"].sort(),
    );
    expect(await ids("?q=haushalt")).toEqual([SPIEGEL]);
    expect(await ids("?q=haushalt&language=fr")).toEqual([]);
    expect(await ids("?site=nowhere.example")).toEqual([]);
  });

  it("refuses malformed filters with the API's error body", async () => {
    const response = await api.app.inject("/reader/stories.json?language=not%20a%20tag");
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: "INPUT_INVALID", action: expect.any(String) });
    expect((await api.app.inject("/reader/stories.json?limit=5")).statusCode).toBe(400);
  });
});

describe("GET /reader/articles/:id/changes.json", () => {
  it("diffs each revision against the one before, field by field", async () => {
    const response = await api.app.inject(`/reader/articles/${articleIdFor(SPIEGEL)}/changes.json`);
    expect(response.statusCode).toBe(200);
    const { revisions } = response.json() as ChangeList;
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(revisions[0]?.changes).toEqual([]);
    const changes = Object.fromEntries((revisions[1]?.changes ?? []).map((c) => [c.field, c.segments]));
    expect(Object.keys(changes).sort()).toEqual(["body", "standfirst", "title"]);
    expect(changes.title).toEqual([
      { op: "equal", text: "Koalition einigt sich " },
      { op: "insert", text: "spät " },
      { op: "equal", text: "auf Haushalt" },
    ]);
    expect(changes.standfirst?.filter((s) => s.op !== "equal")).toEqual([
      { op: "delete", text: "langen" },
      { op: "insert", text: "zähen" },
    ]);
    const body = changes.body ?? [];
    expect(body.filter((s) => s.op === "delete").map((s) => s.text)).toEqual([
      "Milliarden",
      "Ein Sprecher nannte die Einigung einen Durchbruch.",
    ]);
    expect(body.filter((s) => s.op === "insert").map((s) => s.text)).toEqual([
      "Millionen",
      "Die Opposition kritisiert den Entwurf.",
    ]);
    // The long unchanged tail is shortened to the words next to the change.
    expect(body.at(-1)?.text).toContain("…");
  });

  it("answers 404 for an unknown article", async () => {
    const response = await api.app.inject("/reader/articles/art_unknown/changes.json");
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: "STORE_NOT_FOUND" });
  });
});

describe("reads behind a token", () => {
  it("asks for one on the desk's reads too", async () => {
    const guarded = await startTestApi({ COPYDESK_API_READ_TOKENS: READ_TOKEN });
    try {
      expect((await guarded.app.inject("/reader/stories.json")).statusCode).toBe(401);
      const allowed = await guarded.app.inject({ url: "/reader/stories.json", headers: bearer(READ_TOKEN) });
      expect(allowed.statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
