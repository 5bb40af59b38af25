import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { articleJsonSchema } from "../domain/article.js";

export const ARTICLE_SCHEMA_PATH = path.join("docs", "article.schema.json");

export function renderArticleSchema(): string {
  return `${JSON.stringify(articleJsonSchema(), null, 2)}\n`;
}

export const schemaCommand = (options: { write?: boolean; check?: boolean }) => {
  const rendered = renderArticleSchema();
  if (options.write) {
    writeFileSync(ARTICLE_SCHEMA_PATH, rendered);
    process.stderr.write(`wrote ${ARTICLE_SCHEMA_PATH}\n`);
    return;
  }
  if (options.check) {
    let current = "";
    try {
      current = readFileSync(ARTICLE_SCHEMA_PATH, "utf8");
    } catch {
      // a missing file is stale too
    }
    if (current !== rendered) {
      process.stderr.write(`${ARTICLE_SCHEMA_PATH} is stale: run npm run schema\n`);
      process.exitCode = 1;
    }
    return;
  }
  process.stdout.write(rendered);
};
