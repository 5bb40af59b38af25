import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ArticleRecord } from "../../src/domain/article.js";
import { decodeHtmlBytes } from "../../src/fetchers/charset.js";
import type { DomEngine } from "../../src/parsers/engine/dom.js";
import { parsePage } from "../../src/parsers/parse-page.js";
import { findSiteRule, ruleId, SITE_RULES } from "../../src/parsers/sites/index.js";
import type { SiteRule } from "../../src/parsers/sites/types.js";

export const FIXTURES_DIR = path.resolve(import.meta.dirname, "../../fixtures/sites");

export interface FixtureCase {
  name: string;
  dir: string;
  url: string;
  fetchedAt: string;
  contentType: string | null;
}

/** What fixture.json holds beside source.html. */
export interface FixtureMeta {
  url: string;
  fetchedAt: string;
  contentType?: string;
  description: string;
}

/** Every <root>/<host>/<case>/ folder that has a source.html and a fixture.json. */
export function listFixtureCases(root: string = FIXTURES_DIR): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const host of readdirSync(root).sort()) {
    const hostDir = path.join(root, host);
    if (!statSync(hostDir).isDirectory()) continue;
    for (const name of readdirSync(hostDir).sort()) {
      cases.push(readFixtureCase(path.join(hostDir, name)));
    }
  }
  return cases;
}

export function readFixtureCase(dir: string): FixtureCase {
  const meta = JSON.parse(readFileSync(path.join(dir, "fixture.json"), "utf8")) as FixtureMeta;
  return {
    name: `${path.basename(path.dirname(dir))}/${path.basename(dir)}`,
    dir,
    url: meta.url,
    fetchedAt: meta.fetchedAt,
    contentType: meta.contentType ?? null,
  };
}

/** Fixed clock, so a fixture's record is byte-for-byte repeatable. */
export const FIXTURE_EXTRACTED_AT = "2025-03-11T06:00:05.000Z";

/** A case's record, on the given DOM, with the given site rules (tests break one to watch its fixture fail). */
export function parseFixture(
  fixture: FixtureCase,
  engine: DomEngine,
  rules: readonly SiteRule[] = SITE_RULES,
): ArticleRecord {
  const bytes = readFileSync(path.join(fixture.dir, "source.html"));
  const { html } = decodeHtmlBytes(bytes, fixture.contentType);
  // Site fixtures run with the generic fallback off, so a broken selector fails instead of hiding.
  const hasRule = findSiteRule(fixture.url, fixture.fetchedAt, rules) !== null;
  return parsePage(
    { html, url: fixture.url, fetchedAt: fixture.fetchedAt },
    { engine, genericFallback: !hasRule, rules, now: () => new Date(FIXTURE_EXTRACTED_AT) },
  );
}

/** The reviewed view of a record that expected.json holds. */
export function expectedView(record: ArticleRecord): Record<string, unknown> {
  return {
    // The rule version that ran, so a new version cannot silently take over an old page.
    extractor: { rule: record.extractor.rule },
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
    bodyHtml: record.body.html,
    missing: record.missing,
    warnings: record.warnings,
  };
}

/** Writes a case's expected.json from the current extractor (linkedom, the production DOM). */
export function writeExpected(fixture: FixtureCase): void {
  const view = expectedView(parseFixture(fixture, "tree"));
  writeFileSync(path.join(fixture.dir, "expected.json"), `${JSON.stringify(view, null, 2)}\n`);
}

export function readExpected(fixture: FixtureCase): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(fixture.dir, "expected.json"), "utf8")) as Record<string, unknown>;
}

/** The rule id a case's expected.json says ran (null: the generic extractor alone). */
export function expectedRule(fixture: FixtureCase): string | null {
  const extractor = readExpected(fixture).extractor as { rule?: string | null } | undefined;
  return extractor?.rule ?? null;
}

/** Ids of the rule versions that no case's expected.json names: nothing pins what they extract. */
export function rulesWithoutFixture(rules: readonly SiteRule[], fixtures: readonly FixtureCase[]): string[] {
  const pinned = new Set(fixtures.map(expectedRule));
  return rules.map(ruleId).filter((id) => !pinned.has(id));
}

const START_TAG = /<([a-zA-Z][\w-]*)((?:\s+[^\s"'=<>/]+(?:="[^"]*")?)+)\s*(\/?)>/g;
const ATTRIBUTE = /[^\s"'=<>/]+(?:="[^"]*")?/g;

/**
 * Sanitised HTML with each tag's attributes in name order. linkedom and jsdom serialise an
 * attribute set on an element (a lazy image's real src) at different places; the order means nothing.
 */
export function withSortedAttributes(html: string): string {
  return html.replace(START_TAG, (_tag, name: string, attributes: string, selfClosing: string) => {
    const sorted = (attributes.match(ATTRIBUTE) ?? []).sort().join(" ");
    return `<${name} ${sorted}${selfClosing ? " /" : ""}>`;
  });
}
