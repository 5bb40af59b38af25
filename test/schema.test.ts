import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ARTICLE_SCHEMA_PATH,
  EXPORT_LINE_SCHEMA_PATH,
  PUBLISHED_SCHEMAS,
  renderArticleSchema,
  renderExportLineSchema,
} from "../src/cli/schema.js";
import { articleJsonSchema } from "../src/domain/article.js";
import { EXPORT_LINE_SCHEMA_ID, EXPORT_LINE_VERSION, ExportLineSchema } from "../src/domain/export-line.js";
import { makeRecord } from "./support/records.js";

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

describe("published JSON Schema of an export line", () => {
  const schema = () =>
    JSON.parse(renderExportLineSchema()) as {
      $id: string;
      required: string[];
      properties: Record<string, { $ref?: string }>;
      additionalProperties: boolean;
    };

  it("is up to date with the zod schema (run `npm run schema` when this fails)", () => {
    expect(readFileSync(EXPORT_LINE_SCHEMA_PATH, "utf8")).toBe(renderExportLineSchema());
    expect(PUBLISHED_SCHEMAS.map((published) => published.path)).toEqual([
      ARTICLE_SCHEMA_PATH,
      EXPORT_LINE_SCHEMA_PATH,
    ]);
  });

  it("is versioned in its $id and refers to the article schema for the record", () => {
    expect(schema().$id).toBe(`https://copydesk.dev/schemas/export-line.v${EXPORT_LINE_VERSION}.schema.json`);
    expect(schema().$id).toBe(EXPORT_LINE_SCHEMA_ID);
    expect(schema().properties.record?.$ref).toBe(articleJsonSchema().$id);
  });

  it("requires exactly the fields of the zod schema, and no others", () => {
    expect(schema().required).toEqual(["articleId", "storyId", "revision", "updatedAt", "record"]);
    expect(Object.keys(schema().properties)).toEqual(Object.keys(ExportLineSchema.shape));
    expect(schema().additionalProperties).toBe(false);
    const record = makeRecord("https://a.example/1");
    const line = {
      articleId: record.id,
      storyId: "sty_1",
      revision: 1,
      updatedAt: "2024-05-01T09:00:00.000Z",
      record,
    };
    expect(ExportLineSchema.parse(line)).toEqual(line);
    expect(() => ExportLineSchema.parse({ ...line, revision: 0 })).toThrow();
  });
});
