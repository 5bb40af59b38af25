import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articleJsonSchema } from "../../src/domain/article.js";
import { startTestApi, type TestApi } from "./support.js";

let api: TestApi;
let doc: {
  openapi: string;
  paths: Record<
    string,
    Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, Record<string, unknown>> };
};

beforeAll(async () => {
  api = await startTestApi();
  doc = (await api.app.inject("/docs/json")).json();
});

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

  it("serves the interactive docs at /docs", async () => {
    const response = await api.app.inject("/docs/");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/text\/html/);
  });
});
