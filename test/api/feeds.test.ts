import { parseAtomFeed, parseJsonFeed } from "feedsmith";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeXml } from "../../src/api/feeds.js";
import { newestArticles } from "../../src/api/recent.js";
import type { StoredArticle } from "../../src/store/article-store.js";
import { fillerText, makeRecord } from "../support/records.js";
import { openTestStore, startTestApi, type TestApi, type TestStore } from "./support.js";

const TRICKY_TITLE = `Markets <script>alert("x")</script> & "quotes" 'too'\u0001 — ünïcödé 🚀`;

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
  const sites = ["wsj.com", "ft.example", "lemonde.example"];
  for (let i = 0; i < 9; i++) {
    const site = sites[i % 3];
    await api.store.upsertArticle(
      makeRecord(`https://www.${site}/story-${i}`, {
        title: i === 4 ? TRICKY_TITLE : `Story ${i} from ${site}`,
        standfirst: `Standfirst ${i}`,
        body: fillerText(i + 1),
        language: site === "lemonde.example" ? "fr" : "en",
        tags: ["world", "markets"],
        images: [
          { url: `https://img.${site}/${i}.jpg`, caption: null, credit: null, alt: null, isLead: true },
        ],
        fetchedAt: `2024-05-0${1 + (i % 9)}T09:00:00.000Z`,
      }),
    );
  }
});

afterAll(async () => {
  await api?.close();
});

/** Atom text constructs come back as { type, value } from feedsmith. */
function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return (value as { value?: string } | undefined)?.value;
}

function xmlErrors(xml: string): string | null {
  const dom = new JSDOM(xml, { contentType: "application/xml" });
  const error = dom.window.document.querySelector("parsererror");
  return error ? error.textContent : null;
}

describe("GET /v1/feed.json", () => {
  it("is JSON Feed 1.1 that a feed parser reads back, newest change first", async () => {
    const response = await api.app.inject("/v1/feed.json");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/feed\+json/);
    const raw = response.json();
    expect(raw.version).toBe("https://jsonfeed.org/version/1.1");
    const feed = parseJsonFeed(raw);
    expect(feed.title).toBe("copydesk");
    expect(feed.feed_url).toBe("http://localhost:80/v1/feed.json");
    const items = feed.items ?? [];
    expect(items).toHaveLength(9);
    expect(items.map((item) => item.title)).toEqual(
      [8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) =>
        i === 4 ? TRICKY_TITLE : expect.stringContaining(`Story ${i} `),
      ),
    );
    const first = items[0];
    expect(first?.id).toBe("https://www.lemonde.example/story-8");
    expect(first?.image).toBe("https://img.lemonde.example/8.jpg");
    expect(first?.content_html).toContain("<p>");
    expect(first?.authors).toEqual([{ name: "Jane Doe" }]);
    expect(raw.items[0]._copydesk.api_url).toMatch(/^http:\/\/localhost:80\/v1\/articles\/art_/);
  });

  it("filters like the list and honours limit", async () => {
    const items = async (query: string) => (await api.app.inject(`/v1/feed.json?${query}`)).json().items;
    expect(await items("site=wsj.com")).toHaveLength(3);
    expect(await items("language=fr")).toHaveLength(3);
    expect(await items("q=story%208")).toHaveLength(1);
    // Words in any order, newest change first among the matches; operators are plain text.
    const matches = await items(`q=${encodeURIComponent("wsj.com from story")}`);
    expect(matches.length).toBeGreaterThan(1);
    const dates = matches.map((item: { date_modified: string }) => item.date_modified);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(
      (await api.app.inject(`/v1/feed.json?q=${encodeURIComponent('"(story* OR -8:')}`)).statusCode,
    ).toBe(200);
    expect(await items("limit=2")).toHaveLength(2);
    expect((await api.app.inject("/v1/feed.json?limit=1000")).statusCode).toBe(400);
  });
});

describe("GET /v1/feed.xml", () => {
  it("is well-formed Atom that a feed parser reads back, with text escaped", async () => {
    const response = await api.app.inject("/v1/feed.xml");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/atom\+xml/);
    const xml = response.body;
    expect(xmlErrors(xml)).toBeNull();
    const feed = parseAtomFeed(xml);
    expect(feed.id).toBe("http://localhost:80/v1/feed.xml");
    expect(text(feed.title)).toBe("copydesk");
    expect(feed.updated).toBeTruthy();
    expect(feed.entries).toHaveLength(9);
    for (const entry of feed.entries ?? []) {
      // RFC 4287: every entry has an id, a title and an updated date (authors come from the feed).
      expect(entry.id).toMatch(/^https:\/\/www\./);
      expect(text(entry.title)).toBeTruthy();
      expect(entry.updated).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    const tricky = feed.entries?.find((entry) => entry.id === "https://www.ft.example/story-4");
    expect(text(tricky?.title)).toBe(TRICKY_TITLE.replace("\u0001", ""));
    expect(text(tricky?.content)).toContain("<p>");
    expect(xml).not.toContain("<script>");
  });

  it("filters like the list", async () => {
    const feed = parseAtomFeed((await api.app.inject("/v1/feed.xml?site=ft.example&limit=2")).body);
    expect(feed.entries?.map((entry) => entry.id)).toEqual([
      "https://www.ft.example/story-7",
      "https://www.ft.example/story-4",
    ]);
  });

  it("escapes markup and drops characters XML cannot hold", () => {
    expect(escapeXml(`<a href="x">&'\u0000\uFFFE\uD800`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
    expect(escapeXml("🚀")).toBe("🚀");
  });
});

describe("newestArticles", () => {
  let test: TestStore;
  beforeAll(async () => {
    test = await openTestStore();
  });
  afterAll(async () => {
    await test?.close();
  });

  it("finds exactly the newest N among many more, newest first", async () => {
    for (let i = 0; i < 700; i++) {
      await test.store.upsertArticle(makeRecord(`https://bulk.example/${i}`, { body: fillerText(i + 1000) }));
    }
    const all: StoredArticle[] = [];
    let cursor: string | null = null;
    do {
      const page = await test.store.listArticles({ limit: 1000, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const expected = all
      .slice(-30)
      .reverse()
      .map((a) => a.articleId);
    const newest = await newestArticles(test.store, {}, 30);
    expect(newest.map((a) => a.articleId)).toEqual(expected);
    // Search words match all 700 here: the newest five of the matches, in change order.
    const filtered = await newestArticles(test.store, { q: "bulk title" }, 5);
    expect(filtered.map((a) => a.record.url)).toEqual(
      ["699", "698", "697", "696", "695"].map((n) => `https://bulk.example/${n}`),
    );
  });
});
