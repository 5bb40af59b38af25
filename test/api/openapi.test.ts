import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articleJsonSchema } from "../../src/domain/article.js";
import { makeRecord } from "../support/records.js";
import { startTestApi, type TestApi } from "./support.js";

type Node = Record<string, unknown>;

let api: TestApi;
let doc: {
  openapi: string;
  paths: Record<
    string,
    Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, Node> }>
  >;
  components: { schemas: Record<string, Record<string, unknown>> } & Record<string, Record<string, Node>>;
};
/** A request for each /v1 GET route, against the article, story and job stored below. */
let requestFor: Record<string, string>;

beforeAll(async () => {
  api = await startTestApi();
  doc = (await api.app.inject("/docs/json")).json();
  const url = "https://news.example/2024/05/01/harbour-bridge";
  const { articleId, storyId } = await api.store.upsertArticle(makeRecord(url));
  const { jobId } = await api.jobs.enqueueRefetch("https://news.example/2024/05/02/ferry");
  // The job stays waiting, so its view (and its tag) holds still between two requests.
  api.jobs.stop();
  requestFor = {
    "/v1/articles": "/v1/articles",
    "/v1/articles/{id}": `/v1/articles/${articleId}`,
    "/v1/articles/{id}/revisions": `/v1/articles/${articleId}/revisions`,
    "/v1/stories/{id}": `/v1/stories/${storyId}`,
    "/v1/lookup": `/v1/lookup?url=${encodeURIComponent(url)}`,
    "/v1/feed.json": "/v1/feed.json",
    "/v1/feed.xml": "/v1/feed.xml",
    "/v1/jobs/{id}": `/v1/jobs/${jobId}`,
  };
});

/** A node of the document, with a local `$ref` (#/components/…) followed. */
function resolve(node: unknown): Node {
  const ref = (node as { $ref?: string } | undefined)?.$ref;
  if (ref === undefined) return node as Node;
  const [, , kind, name] = ref.split("/");
  const target = doc.components[kind ?? ""]?.[name ?? ""];
  expect(target, ref).toBeDefined();
  return target as Node;
}

/** The operations that document a 304, as "get /v1/…". */
function documentedNotModified(): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => "304" in operation.responses)
        .map(([method]) => `${method} ${path}`),
    )
    .sort();
}

afterAll(async () => {
  await api?.close();
});

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 and covers every route", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/healthz",
        "/metrics",
        "/readyz",
        "/v1/articles",
        "/v1/articles/{id}",
        "/v1/articles/{id}/revisions",
        "/v1/feed.json",
        "/v1/feed.xml",
        "/v1/jobs/{id}",
        "/v1/lookup",
        "/v1/refetch",
        "/v1/stories/{id}",
      ].sort(),
    );
  });

  it("documents the query parameters and error responses from the zod schemas", () => {
    const list = doc.paths["/v1/articles"]?.get;
    const names = list?.parameters?.map((parameter) => parameter.name);
    expect(names).toEqual(
      expect.arrayContaining(["since", "cursor", "limit", "site", "story", "language", "paywalled", "q"]),
    );
    expect(Object.keys(list?.responses ?? {})).toEqual(expect.arrayContaining(["200", "400", "401", "429"]));
    expect(JSON.stringify(list?.responses["400"])).toContain("#/components/schemas/Error");
  });

  it("serves the article JSON Schema as the ArticleRecord component", () => {
    const { $id, title, description, $schema, ...expected } = articleJsonSchema();
    expect($id && title && description && $schema).toBeTruthy();
    expect(doc.components.schemas.ArticleRecord).toEqual(expected);
    expect(JSON.stringify(doc.paths["/v1/articles/{id}"])).toContain("#/components/schemas/StoredArticle");
    expect(JSON.stringify(doc.components.schemas.StoredArticle)).toContain(
      "#/components/schemas/ArticleRecord",
    );
  });

  it("describes the ETag, If-None-Match and the 304 on every /v1 GET, and on no other route", () => {
    const gets = Object.keys(requestFor).sort();
    expect(documentedNotModified()).toEqual(gets.map((path) => `get ${path}`));
    for (const path of gets) {
      const operation = doc.paths[path]?.get;
      expect(operation?.parameters?.map(resolve), path).toContainEqual(
        expect.objectContaining({ name: "If-None-Match", in: "header", required: false }),
      );
      const notModified = resolve(operation?.responses["304"]);
      expect(notModified.description, path).toMatch(/^Not Modified/);
      expect(notModified, path).not.toHaveProperty("content");
      const ok = resolve(operation?.responses["200"]);
      expect(ok.content, path).toBeDefined();
      for (const headers of [notModified.headers, ok.headers]) {
        expect(resolve((headers as Node | undefined)?.ETag), path).toMatchObject({
          schema: { type: "string" },
        });
      }
    }
    expect(doc.paths["/v1/refetch"]?.post?.responses).not.toHaveProperty("304");
    expect(doc.paths["/healthz"]?.get?.parameters ?? []).toEqual([]);
  });

  it("matches what the server does: a tagged 200, then 304 with no body to If-None-Match", async () => {
    const documented = documentedNotModified();
    for (const [path, url] of Object.entries(requestFor)) {
      expect(documented, path).toContain(`get ${path}`);
      const first = await api.app.inject(url);
      expect(first.statusCode, url).toBe(200);
      const etag = first.headers.etag;
      expect(etag, url).toEqual(expect.any(String));
      const again = await api.app.inject({ url, headers: { "if-none-match": String(etag) } });
      expect(again.statusCode, url).toBe(304);
      expect(again.body, url).toBe("");
      expect(again.headers.etag, url).toBe(etag);
    }
    // A route documented without them sends no tag and ignores If-None-Match.
    const health = await api.app.inject({ url: "/healthz", headers: { "if-none-match": "*" } });
    expect(health.statusCode).toBe(200);
    expect(health.headers.etag).toBeUndefined();
  });

  it("serves the interactive docs at /docs", async () => {
    const response = await api.app.inject("/docs/");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/text\/html/);
  });
});
