import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { ArticleRecord } from "../../src/domain/article.js";
import { decodeHtmlBytes } from "../../src/fetchers/charset.js";
import type { DomEngine } from "../../src/parsers/engine/dom.js";
import { parsePage } from "../../src/parsers/parse-page.js";
import { findSiteRule } from "../../src/parsers/sites/index.js";

export const FIXTURES_DIR = path.resolve(import.meta.dirname, "../../fixtures/sites");

export interface FixtureCase {
  name: string;
  dir: string;
  url: string;
  fetchedAt: string;
  contentType: string | null;
}

/** Every fixtures/sites/<host>/<case>/ folder that has a source.html and a fixture.json. */
export function listFixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const host of readdirSync(FIXTURES_DIR).sort()) {
    const hostDir = path.join(FIXTURES_DIR, host);
    if (!statSync(hostDir).isDirectory()) continue;
    for (const name of readdirSync(hostDir).sort()) {
      const dir = path.join(hostDir, name);
      const meta = JSON.parse(readFileSync(path.join(dir, "fixture.json"), "utf8")) as {
        url: string;
        fetchedAt: string;
        contentType?: string;
      };
      cases.push({
        name: `${host}/${name}`,
        dir,
        url: meta.url,
        fetchedAt: meta.fetchedAt,
        contentType: meta.contentType ?? null,
      });
    }
  }
  return cases;
}

/** Fixed clock, so a fixture's record is byte-for-byte repeatable. */
export const FIXTURE_EXTRACTED_AT = "2025-03-11T06:00:05.000Z";

export function parseFixture(fixture: FixtureCase, engine: DomEngine): ArticleRecord {
  const bytes = readFileSync(path.join(fixture.dir, "source.html"));
  const { html } = decodeHtmlBytes(bytes, fixture.contentType);
  // Site fixtures run with the generic fallback off, so a broken selector fails instead of hiding.
  const hasRule = findSiteRule(fixture.url, fixture.fetchedAt) !== null;
  return parsePage(
    { html, url: fixture.url, fetchedAt: fixture.fetchedAt },
    { engine, genericFallback: !hasRule, now: () => new Date(FIXTURE_EXTRACTED_AT) },
  );
}

/** The reviewed view of a record that expected.json holds. */
export function expectedView(record: ArticleRecord): Record<string, unknown> {
  return {
    title: record.title,
    standfirst: record.standfirst,
    byline: record.byline,
    authors: record.authors,
    publishedAt: record.publishedAt,
    modifiedAt: record.modifiedAt,
    publisher: record.publisher,
    section: record.section,
    tags: record.tags,
    language: record.language,
    direction: record.direction,
    images: record.images,
    provenance: record.provenance.map(({ role, name, url }) => ({ role, name, url })),
    paywall: record.paywall,
    bodyText: record.body.text,
    missing: record.missing,
  };
}
