import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { articleJsonSchema } from "../domain/article.js";
import { exportLineJsonSchema } from "../domain/export-line.js";

export const ARTICLE_SCHEMA_PATH = path.join("docs", "article.schema.json");
export const EXPORT_LINE_SCHEMA_PATH = path.join("docs", "export-line.schema.json");

export function renderArticleSchema(): string {
  return `${JSON.stringify(articleJsonSchema(), null, 2)}\n`;
}

export function renderExportLineSchema(): string {
  return `${JSON.stringify(exportLineJsonSchema(), null, 2)}\n`;
}

/** Every generated schema document, written and checked together. */
export const PUBLISHED_SCHEMAS: readonly { path: string; render: () => string }[] = [
  { path: ARTICLE_SCHEMA_PATH, render: renderArticleSchema },
  { path: EXPORT_LINE_SCHEMA_PATH, render: renderExportLineSchema },
];

export const schemaCommand = (options: { write?: boolean; check?: boolean; exportLine?: boolean }) => {
  if (options.write) {
    for (const schema of PUBLISHED_SCHEMAS) {
      writeFileSync(schema.path, schema.render());
      process.stderr.write(`wrote ${schema.path}\n`);
    }
    return;
  }
  if (options.check) {
    for (const schema of PUBLISHED_SCHEMAS) {
      let current = "";
      try {
        current = readFileSync(schema.path, "utf8");
      } catch {
        // a missing file is stale too
      }
      if (current !== schema.render()) {
        process.stderr.write(`${schema.path} is stale: run npm run schema\n`);
        process.exitCode = 1;
      }
    }
    return;
  }
  process.stdout.write(options.exportLine ? renderExportLineSchema() : renderArticleSchema());
};
