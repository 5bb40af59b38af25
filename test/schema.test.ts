import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ARTICLE_SCHEMA_PATH, renderArticleSchema } from "../src/cli/schema.js";

describe("published JSON Schema of the article record", () => {
  it("is up to date with the zod schema (run `npm run schema` when this fails)", () => {
    expect(readFileSync(ARTICLE_SCHEMA_PATH, "utf8")).toBe(renderArticleSchema());
  });

  it("describes every field of the record as required", () => {
    const schema = JSON.parse(renderArticleSchema()) as {
      required: string[];
      properties: Record<string, unknown>;
    };
    for (const field of [
      "id",
      "url",
      "title",
      "authors",
      "body",
      "images",
      "provenance",
      "paywall",
      "missing",
    ]) {
      expect(schema.required).toContain(field);
      expect(schema.properties).toHaveProperty(field);
    }
  });
});
