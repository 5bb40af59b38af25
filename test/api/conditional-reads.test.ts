import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ifNoneMatchMatches, parseIfNoneMatch, strongEtagOf } from "../../src/api/etag.js";
import { articleIdFor } from "../../src/domain/url.js";
import { makeRecord } from "../support/records.js";
import { startTestApi, type TestApi } from "./support.js";

const ORIGIN = "https://www.wsj.com/world/etag-story";
const COPY = "https://newsbite.example/etag-story";
const STRONG = /^"[A-Za-z0-9_-]{22}"$/;

let api: TestApi;
let articleId: string;
let storyId: string;

async function get(url: string, headers: Record<string, string> = {}, method: "GET" | "HEAD" = "GET") {
  const response = await api.app.inject({ method, url, headers });
  return { status: response.statusCode, headers: response.headers, body: response.body };
}

beforeAll(async () => {
  api = await startTestApi({ COPYDESK_API_CORS_ORIGINS: "https://desk.example" });
  const origin = await api.store.upsertArticle(
    makeRecord(ORIGIN, {
      title: "Harbour bridge reopens",
      fetchedAt: "2024-05-01T09:00:00.000Z",
      provenance: [{ role: "origin", name: "WSJ", url: ORIGIN, evidence: ["canonical"] }],
    }),
  );
  articleId = origin.articleId;
  storyId = origin.storyId;
});

afterAll(async () => {
  await api?.close();
});

describe("If-None-Match parsing (RFC 9110)", () => {
  it("reads *, lists, weak tags and commas inside quotes", () => {
    expect(parseIfNoneMatch(" * ")).toBe("*");
    expect(parseIfNoneMatch('"a", W/"b" ,"c,d"')).toEqual([
      { weak: false, opaque: '"a"' },
      { weak: true, opaque: '"b"' },
      { weak: false, opaque: '"c,d"' },
    ]);
    expect(parseIfNoneMatch(',, "a" ,')).toEqual([{ weak: false, opaque: '"a"' }]);
  });

  it("treats a malformed header as no match", () => {
    for (const bad of ["a", '"a', '"a" "b"', 'w/"a"', '"a b"', '*, "a"', ""]) {
      expect(parseIfNoneMatch(bad), bad).toBeNull();
      expect(ifNoneMatchMatches(bad, '"a"'), bad).toBe(false);
    }
  });

  it("compares weakly: W/ on either side still matches the same opaque tag", () => {
    expect(ifNoneMatchMatches('W/"x"', '"x"')).toBe(true);
    expect(ifNoneMatchMatches('"x"', 'W/"x"')).toBe(true);
    expect(ifNoneMatchMatches('"y", "x"', '"x"')).toBe(true);
    expect(ifNoneMatchMatches(['"y"', 'W/"x"'], '"x"')).toBe(true);
    expect(ifNoneMatchMatches('"X"', '"x"')).toBe(false);
    expect(ifNoneMatchMatches(undefined, '"x"')).toBe(false);
  });

  it("derives a strong tag from the bytes: equal bytes, equal tags; one byte more, another tag", () => {
    expect(strongEtagOf("abc")).toMatch(STRONG);
    expect(strongEtagOf("abc")).toBe(strongEtagOf(Buffer.from("abc")));
    expect(strongEtagOf("abc ")).not.toBe(strongEtagOf("abc"));
  });
});

describe("ETag and 304 on the read routes", () => {
  const routes = () => [
    `/v1/articles/${articleId}`,
    `/v1/articles/${articleId}/revisions`,
    `/v1/articles?limit=10`,
    `/v1/stories/${storyId}`,
    `/v1/lookup?url=${encodeURIComponent(ORIGIN)}`,
    "/v1/feed.json",
    "/v1/feed.xml",
  ];

  it("tag every read with a strong ETag of its body, stable across requests", async () => {
    for (const url of routes()) {
      const first = await get(url);
      expect(first.status, url).toBe(200);
      expect(first.headers.etag, url).toMatch(STRONG);
      expect(first.headers.etag, url).toBe(strongEtagOf(first.body));
      expect((await get(url)).headers.etag, url).toBe(first.headers.etag);
    }
  });

  it("answer 304 with no body to the tag, its weak form, a list holding it and *", async () => {
    for (const url of routes()) {
      const { headers } = await get(url);
      const etag = headers.etag as string;
      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
        const conditional = await get(url, { "if-none-match": ifNoneMatch });
        expect(conditional.status, `${url} ${ifNoneMatch}`).toBe(304);
        expect(conditional.body, url).toBe("");
        expect(conditional.headers.etag, url).toBe(etag);
        expect(conditional.headers["content-type"], url).toBeUndefined();
        expect(conditional.headers["content-length"], url).toBeUndefined();
      }
      const other = await get(url, { "if-none-match": '"not-it", W/"nor-this"' });
      expect(other.status, url).toBe(200);
      expect(other.body.length, url).toBeGreaterThan(0);
    }
  });

  it("change the tag when the body changes: a revision, a new copy in the story", async () => {
    const articleUrl = `/v1/articles/${articleId}`;
    const storyUrl = `/v1/stories/${storyId}`;
    const listUrl = "/v1/articles?limit=10";
    const before = {
      article: (await get(articleUrl)).headers.etag as string,
      story: (await get(storyUrl)).headers.etag as string,
      list: (await get(listUrl)).headers.etag as string,
    };
    const revised = await api.store.upsertArticle(
      makeRecord(ORIGIN, {
        title: "Harbour bridge reopens after repairs",
        fetchedAt: "2024-05-01T10:00:00.000Z",
        provenance: [{ role: "origin", name: "WSJ", url: ORIGIN, evidence: ["canonical"] }],
      }),
    );
    expect(revised.outcome).toBe("revised");
    const article = await get(articleUrl, { "if-none-match": before.article });
    expect(article.status).toBe(200);
    expect(JSON.parse(article.body).revision).toBe(2);
    expect(article.headers.etag).not.toBe(before.article);
    expect((await get(listUrl, { "if-none-match": before.list })).status).toBe(200);

    const storyNow = (await get(storyUrl)).headers.etag as string;
    await api.store.upsertArticle(
      makeRecord(COPY, {
        title: "Harbour bridge reopens after repairs",
        fetchedAt: "2024-05-01T11:00:00.000Z",
        provenance: [
          { role: "origin", name: "WSJ", url: ORIGIN, evidence: ["original-url-line"] },
          { role: "aggregator", name: "NewsBite", url: COPY, evidence: ["canonical"] },
        ],
      }),
    );
    const story = await get(storyUrl, { "if-none-match": `${before.story}, ${storyNow}` });
    expect(story.status).toBe(200);
    expect(story.body).toContain(articleIdFor(COPY));
    // The origin article itself did not change: its tag and 304 hold.
    const unchanged = await get(articleUrl, { "if-none-match": article.headers.etag as string });
    expect(unchanged.status).toBe(304);
  });

  it("answer HEAD with the same tag, and 304 to it", async () => {
    const url = `/v1/articles/${articleId}`;
    const full = await get(url);
    const head = await get(url, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe(full.headers.etag);
    const conditional = await get(url, { "if-none-match": full.headers.etag as string }, "HEAD");
    expect(conditional.status).toBe(304);
    expect(conditional.body).toBe("");
  });

  it("leave errors untagged: * on an unknown id is still a 404, a refused token still a 401", async () => {
    const missing = await get("/v1/articles/art_missing", { "if-none-match": "*" });
    expect(missing.status).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
    expect(JSON.parse(missing.body).code).toBe("STORE_NOT_FOUND");
    const bad = await get("/v1/articles?limit=0", { "if-none-match": "*" });
    expect(bad.status).toBe(400);
    expect(bad.headers.etag).toBeUndefined();
  });

  it("tag only the /v1 reads: health and metrics are left alone", async () => {
    for (const url of ["/healthz", "/metrics"]) {
      const response = await get(url, { "if-none-match": "*" });
      expect(response.headers.etag, url).toBeUndefined();
      expect(response.status, url).not.toBe(304);
    }
  });

  it("let a browser on an allowed origin read the tag and send If-None-Match", async () => {
    const url = `/v1/articles/${articleId}`;
    const response = await get(url, { origin: "https://desk.example" });
    expect(response.headers["access-control-expose-headers"]).toMatch(/\bETag\b/);
    const preflight = await api.app.inject({
      method: "OPTIONS",
      url,
      headers: {
        origin: "https://desk.example",
        "access-control-request-method": "GET",
        "access-control-request-headers": "if-none-match",
      },
    });
    expect(preflight.headers["access-control-allow-headers"]).toMatch(/If-None-Match/);
  });
});

describe("304 on the wire", () => {
  it("sends no body and no Content-Length over a real socket", async () => {
    const address = await api.app.listen({ host: "127.0.0.1", port: 0 });
    const url = `${address}/v1/articles/${articleId}`;
    const full = await request(url);
    const text = await full.body.text();
    expect(full.statusCode).toBe(200);
    const etag = full.headers.etag as string;
    expect(etag).toBe(strongEtagOf(text));
    const conditional = await request(url, { headers: { "if-none-match": etag } });
    expect(conditional.statusCode).toBe(304);
    expect(await conditional.body.text()).toBe("");
    expect(conditional.headers["content-length"]).toBeUndefined();
    expect(conditional.headers.etag).toBe(etag);
    expect(conditional.headers["x-content-type-options"]).toBe("nosniff");
  });
});
