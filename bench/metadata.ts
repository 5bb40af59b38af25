import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { ArticleRecord } from "../src/domain/article.js";
import { siteOf } from "../src/domain/url.js";
import { publisherForCredit } from "../src/parsers/generic/publishers.js";
import { errorMessage, formatNumber, parseCount, runBenchmark } from "./lib/cli.js";
import {
  BENCH_FETCHED_AT,
  copydeskAvailable,
  loadParsePage,
  PARSE_PAGE_PATH,
  type ParsePage,
} from "./lib/copydesk.js";
import {
  CorpusMissingError,
  defaultCorpusDir,
  loadReadabilityTestCases,
  type ReadabilityTestCase,
  readPageHtml,
} from "./lib/corpus.js";
import {
  LABELLED_FIELDS,
  type LabelledField,
  type LabelledValues,
  type Labels,
  labelMatches,
  loadLabelledPages,
  namesInByline,
  type SameOutlet,
} from "./lib/labelled-metadata.js";
import { describeMachine, formatMachine } from "./lib/machine.js";
import {
  collapseWhitespace,
  fieldMatches,
  fieldMatchesAsLabelled,
  METADATA_FIELDS,
  type Metadata,
  type MetadataField,
  parseInstant,
} from "./lib/metadata-match.js";
import { createProgress } from "./lib/progress.js";
import { extractWithReadability } from "./lib/readability-baseline.js";

/**
 * Metadata of copydesk against plain Readability, field by field, judged by the same rules for both:
 * on the hand-labelled ScrapingHub dev pages (ground truth, lib/labelled-metadata.ts), and on
 * Readability's own test pages, whose expectations are Readability's output (lib/metadata-match.ts).
 */

const NAME = "bench:metadata";
const USAGE = `usage: npm run bench:metadata -- [--corpus <dir>] [--labels <dir>] [--json] [--verbose] [--limit N]
  --corpus   folder of Readability test cases, <case>/{source.html, expected-metadata.json}
             (default ../shared/corpus/readability-test-pages)
  --labels   folder with the hand-labelled pages: metadata.json and html/<id>.html.gz
             (default ../shared/corpus/scrapinghub-dev; skipped when absent)
  --json     print one JSON object instead of the table (mismatches included)
  --verbose  list copydesk's mismatches field by field, with Readability's value beside
  --limit N  only the first N cases (by name)
`;

/** The test pages have no real address; Readability's own tests use this one. */
const TEST_PAGE_URL = "http://fakehost/test/page.html";

const EXTRACTOR_NAMES = ["copydesk", "readability"] as const;
type ExtractorName = (typeof EXTRACTOR_NAMES)[number];

interface Extraction {
  metadata: Metadata;
  authors: string[];
  error: string | null;
}

const NO_METADATA: Metadata = {
  title: null,
  byline: null,
  excerpt: null,
  siteName: null,
  publishedTime: null,
  lang: null,
};

/** copydesk's record under Readability's field names. */
function recordMetadata(record: ArticleRecord): Metadata {
  return {
    title: record.title,
    byline: record.byline,
    excerpt: record.standfirst,
    siteName: record.publisher,
    publishedTime: record.publishedAt,
    lang: record.language,
  };
}

function extractWithCopydesk(parsePage: ParsePage, html: string): Extraction {
  try {
    const record = parsePage({ html, url: TEST_PAGE_URL, fetchedAt: BENCH_FETCHED_AT });
    return { metadata: recordMetadata(record), authors: record.authors, error: null };
  } catch (error) {
    return { metadata: NO_METADATA, authors: [], error: errorMessage(error) };
  }
}

function extractWithPlainReadability(html: string): Extraction {
  try {
    return {
      metadata: extractWithReadability(html, TEST_PAGE_URL, { silent: true }).metadata,
      authors: [],
      error: null,
    };
  } catch (error) {
    return { metadata: NO_METADATA, authors: [], error: errorMessage(error) };
  }
}

interface CaseResult {
  name: string;
  expected: Metadata;
  extractions: Partial<Record<ExtractorName, Extraction>>;
}

interface Share {
  matched: number;
  total: number;
  share: number;
}

interface FieldShares {
  all: Share;
  /** Over the cases whose expected value is not null. */
  whereExpected: Share;
  /** Over all cases, matched under the hand-made labels' conventions (fieldMatchesAsLabelled). */
  asLabelled: Share;
}

function share(matched: number, total: number): Share {
  return { matched, total, share: total > 0 ? matched / total : Number.NaN };
}

interface Mismatch {
  field: MetadataField;
  case: string;
  expected: string | null;
  copydesk: string | null;
  readability: string | null;
  readabilityMatches: boolean | null;
  /** Whether copydesk's value meets the expectation under the labels' conventions. */
  asLabelled: boolean;
}

function summariseResults(results: readonly CaseResult[], extractors: readonly ExtractorName[]) {
  const matching = (
    field: MetadataField,
    extractor: ExtractorName,
    cases: readonly CaseResult[],
    matches = fieldMatches,
  ) =>
    cases.filter((result) => {
      const extraction = result.extractions[extractor];
      return extraction !== undefined && matches(field, result.expected[field], extraction.metadata[field]);
    }).length;
  const fields = Object.fromEntries(
    METADATA_FIELDS.map((field) => {
      // The expectations are Readability's own output, so "null expected" often means only "Readability
      // found nothing"; the share over cases that name a value separates finding from over-finding.
      const withValue = results.filter((result) => collapseWhitespace(result.expected[field]) !== null);
      const shares = extractors.map((extractor) => [
        extractor,
        {
          all: share(matching(field, extractor, results), results.length),
          whereExpected: share(matching(field, extractor, withValue), withValue.length),
          asLabelled: share(matching(field, extractor, results, fieldMatchesAsLabelled), results.length),
        },
      ]);
      return [field, Object.fromEntries(shares)];
    }),
  ) as Record<MetadataField, Partial<Record<ExtractorName, FieldShares>>>;

  const withExpectedByline = results.filter((result) => collapseWhitespace(result.expected.byline) !== null);
  const withOwnByline = results.filter(
    (result) => collapseWhitespace(result.extractions.copydesk?.metadata.byline) !== null,
  );
  const hasAuthors = (result: CaseResult) => (result.extractions.copydesk?.authors.length ?? 0) > 0;
  const authors = extractors.includes("copydesk")
    ? {
        whereExpectedByline: share(withExpectedByline.filter(hasAuthors).length, withExpectedByline.length),
        whereOwnByline: share(withOwnByline.filter(hasAuthors).length, withOwnByline.length),
      }
    : null;

  const mismatches: Mismatch[] = [];
  if (extractors.includes("copydesk")) {
    for (const field of METADATA_FIELDS) {
      for (const result of results) {
        const copydesk = result.extractions.copydesk?.metadata[field] ?? null;
        if (fieldMatches(field, result.expected[field], copydesk)) continue;
        const readability = result.extractions.readability;
        mismatches.push({
          field,
          case: result.name,
          expected: result.expected[field],
          copydesk,
          readability: readability?.metadata[field] ?? null,
          readabilityMatches: readability
            ? fieldMatches(field, result.expected[field], readability.metadata[field])
            : null,
          asLabelled: fieldMatchesAsLabelled(field, result.expected[field], copydesk),
        });
      }
    }
  }

  const errors = results.flatMap((result) =>
    extractors.flatMap((extractor) => {
      const error = result.extractions[extractor]?.error;
      return error ? [{ extractor, case: result.name, error }] : [];
    }),
  );
  return { fields, authors, mismatches, errors };
}

function quote(value: string | null, max = 140): string {
  if (value === null) return "null";
  const collapsed = collapseWhitespace(value) ?? "";
  return JSON.stringify(collapsed.length > max ? `${collapsed.slice(0, max - 1)}…` : collapsed);
}

/** Rows as columns padded to their widest cell. */
function formatTable(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

function formatShare(value: Share | undefined, absent = "-"): string {
  return value ? `${formatNumber(value.share)} (${value.matched}/${value.total})` : absent;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      corpus: { type: "string" },
      labels: { type: "string" },
      json: { type: "boolean", default: false },
      verbose: { type: "boolean", short: "v", default: false },
      limit: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const corpus = resolve(values.corpus ?? defaultCorpusDir("readability-test-pages"));
  const limit = parseCount("limit", values.limit);
  const allCases = loadReadabilityTestCases(corpus);
  const cases: ReadabilityTestCase[] = limit === undefined ? allCases : allCases.slice(0, limit);

  let parsePage: ParsePage | null = null;
  if (copydeskAvailable()) parsePage = await loadParsePage();
  else process.stderr.write(`${NAME}: ${PARSE_PAGE_PATH} does not exist yet; measuring the baseline only.\n`);
  const extractors: ExtractorName[] = parsePage ? ["copydesk", "readability"] : ["readability"];

  const machine = describeMachine();
  const progress = createProgress();
  progress.start("metadata", cases.length);
  const results: CaseResult[] = [];
  for (const testCase of cases) {
    const html = readFileSync(testCase.sourcePath, "utf8");
    const extractions: CaseResult["extractions"] = { readability: extractWithPlainReadability(html) };
    if (parsePage) extractions.copydesk = extractWithCopydesk(parsePage, html);
    results.push({ name: testCase.name, expected: testCase.expected, extractions });
    progress.update(results.length, testCase.name);
  }
  progress.stop();

  const summary = summariseResults(results, extractors);
  const labelled = runLabelled(
    resolve(values.labels ?? defaultCorpusDir("scrapinghub-dev")),
    parsePage,
    limit,
  );
  if (values.json) {
    const output = {
      benchmark: "metadata",
      corpus,
      cases: results.length,
      machine,
      url: TEST_PAGE_URL,
      ...summary,
      labelled,
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return 0;
  }

  const lines = [`machine  ${formatMachine(machine)}`, ""];
  if (labelled) lines.push(...formatLabelled(labelled), "");
  lines.push(`corpus   ${corpus} (${results.length} cases; expectations are Readability's own output)`, "");
  const rows = [
    [
      "field",
      ...extractors,
      ...extractors.map((extractor) => `${extractor} (expected set)`),
      ...extractors.map((extractor) => `${extractor} (labels' rules)`),
    ],
    ...METADATA_FIELDS.map((field) => [
      field,
      ...extractors.map((extractor) => formatShare(summary.fields[field][extractor]?.all)),
      ...extractors.map((extractor) => formatShare(summary.fields[field][extractor]?.whereExpected)),
      ...extractors.map((extractor) => formatShare(summary.fields[field][extractor]?.asLabelled)),
    ]),
  ];
  lines.push(...formatTable(rows));
  if (summary.authors) {
    lines.push(
      "",
      `copydesk authors non-empty where the expected byline is non-empty  ${formatShare(summary.authors.whereExpectedByline)}`,
      `copydesk authors non-empty where its own byline is non-empty       ${formatShare(summary.authors.whereOwnByline)}`,
    );
  }
  for (const error of summary.errors) lines.push(`error  ${error.extractor}  ${error.case}  ${error.error}`);
  if (values.verbose && summary.mismatches.length > 0) {
    lines.push("", "copydesk mismatches (expected / copydesk / readability, * when readability matches):");
    for (const mismatch of summary.mismatches) {
      lines.push(
        `${mismatch.field}  ${mismatch.case}${mismatch.asLabelled ? "  (a match under the labels' rules)" : ""}`,
        `  expected     ${quote(mismatch.expected)}`,
        `  copydesk     ${quote(mismatch.copydesk)}`,
        `  readability  ${quote(mismatch.readability)}${mismatch.readabilityMatches ? " *" : ""}`,
      );
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

/**
 * The labelled table's rows: one per field, agency and lead caption also split by whether the label
 * names a value ("agency" alone is over every page).
 */
const LABELLED_ROWS = [
  ...LABELLED_FIELDS,
  "agency:credited",
  "agency:none",
  "leadImageCaption:labelled",
  "leadImageCaption:none",
] as const;
type LabelledRow = (typeof LABELLED_ROWS)[number];

const ROW_TITLES: Partial<Record<LabelledRow, string>> = {
  "agency:credited": "  agency named as origin (pages that credit one)",
  "agency:none": "  no invented origin (pages that credit none)",
  "leadImageCaption:labelled": "  caption found (pages with a lead caption)",
  "leadImageCaption:none": "  no caption given (pages without one)",
};

/** The split row a page's score also counts in, for the fields scored both ways. */
function splitRow(field: LabelledField, labels: Labels): LabelledRow | null {
  if (field === "agency") return labels.agency === null ? "agency:none" : "agency:credited";
  if (field === "leadImageCaption")
    return labels.leadImageCaption === null ? "leadImageCaption:none" : "leadImageCaption:labelled";
  return null;
}

interface LabelledSummary {
  corpus: string;
  pages: number;
  /** Per row and extractor: matches over the pages where the extractor reports the field. */
  fields: Record<LabelledRow, Partial<Record<ExtractorName, Share>>>;
  mismatches: { field: LabelledField; page: string; expected: unknown; copydesk: unknown }[];
  errors: { extractor: ExtractorName; page: string; error: string }[];
}

const NOT_FOUND: LabelledValues = {
  title: null,
  authors: [],
  published: { instant: null, raw: null },
  modified: { instant: null, raw: null },
  publisher: null,
  language: null,
  agency: { origin: null },
  leadImageCaption: { caption: null },
};

function siteOrNull(url: string | null): string | null {
  if (url === null) return null;
  try {
    return siteOf(url);
  } catch {
    return null;
  }
}

/** Labels write "AP" where a record may say "The Associated Press": one registry entry is one outlet. */
const sameOutlet: SameOutlet = (a, b) => {
  const known = publisherForCredit(a);
  return known !== undefined && known === publisherForCredit(b);
};

function copydeskLabelled(parsePage: ParsePage, html: string, url: string): LabelledValues {
  const record = parsePage({ html, url, fetchedAt: BENCH_FETCHED_AT });
  const origin = record.provenance[0];
  const pageSites = new Set([siteOrNull(url), siteOrNull(record.url), siteOrNull(record.finalUrl)]);
  const originSite = siteOrNull(origin?.url ?? null);
  return {
    title: record.title,
    authors: record.authors,
    published: { instant: record.publishedAt, raw: record.publishedAtRaw },
    modified: { instant: record.modifiedAt, raw: record.modifiedAtRaw },
    publisher: record.publisher,
    language: record.language,
    agency: {
      origin: origin
        ? { name: origin.name, isThisPage: originSite !== null && pageSites.has(originSite) }
        : null,
    },
    leadImageCaption: { caption: record.images.find((image) => image.isLead)?.caption ?? null },
  };
}

function readabilityLabelled(html: string, url: string): LabelledValues {
  const { metadata, lang } = extractWithReadability(html, url, { silent: true });
  const published = metadata.publishedTime;
  const instant = published === null || Number.isNaN(parseInstant(published)) ? null : published;
  return {
    title: metadata.title,
    authors: namesInByline(metadata.byline),
    published: { instant, raw: published },
    modified: null, // Readability does not report one
    publisher: metadata.siteName,
    language: lang,
    agency: null, // no provenance
    leadImageCaption: null, // no images
  };
}

/** The hand-labelled pages, both extractors, or null when the labels are not beside the checkout. */
function runLabelled(
  corpus: string,
  parsePage: ParsePage | null,
  limit: number | undefined,
): LabelledSummary | null {
  let pages: ReturnType<typeof loadLabelledPages>;
  try {
    pages = loadLabelledPages(corpus);
  } catch (error) {
    if (error instanceof CorpusMissingError) return null;
    throw error;
  }
  if (limit !== undefined) pages = pages.slice(0, limit);
  const extractors: [ExtractorName, (html: string, url: string) => LabelledValues][] = [
    ["readability", readabilityLabelled],
  ];
  if (parsePage) extractors.unshift(["copydesk", (html, url) => copydeskLabelled(parsePage, html, url)]);
  const counts = new Map<string, { matched: number; total: number }>();
  const summary: LabelledSummary = {
    corpus,
    pages: pages.length,
    fields: {} as LabelledSummary["fields"],
    mismatches: [],
    errors: [],
  };
  const progress = createProgress();
  progress.start("labelled", pages.length);
  for (const [index, page] of pages.entries()) {
    const html = readPageHtml({ htmlPath: join(corpus, "html", `${page.id}.html.gz`) });
    for (const [name, extract] of extractors) {
      // A failed extraction finds nothing; Readability still reports no provenance and no captions.
      let values: LabelledValues =
        name === "readability" ? { ...NOT_FOUND, agency: null, leadImageCaption: null } : NOT_FOUND;
      try {
        values = extract(html, page.url);
      } catch (error) {
        summary.errors.push({ extractor: name, page: page.id, error: errorMessage(error) });
      }
      for (const field of LABELLED_FIELDS) {
        const matched = labelMatches(field, page.labels, values, sameOutlet);
        if (matched === null) continue;
        for (const row of [field, splitRow(field, page.labels)]) {
          if (row === null) continue;
          const count = counts.get(`${row}/${name}`) ?? { matched: 0, total: 0 };
          count.total++;
          if (matched) count.matched++;
          counts.set(`${row}/${name}`, count);
        }
        if (!matched && name === "copydesk")
          summary.mismatches.push({
            field,
            page: page.id,
            expected: page.labels[field],
            copydesk: values[field],
          });
      }
    }
    progress.update(index + 1, page.id);
  }
  progress.stop();
  for (const row of LABELLED_ROWS) {
    summary.fields[row] = Object.fromEntries(
      extractors.flatMap(([name]) => {
        const count = counts.get(`${row}/${name}`);
        return count ? [[name, share(count.matched, count.total)]] : [];
      }),
    );
  }
  return summary;
}

function formatLabelled(summary: LabelledSummary): string[] {
  const lines = [`labels   ${summary.corpus}/metadata.json (${summary.pages} pages, labelled by hand)`, ""];
  const names: ExtractorName[] = ["copydesk", "readability"];
  const rows = [
    ["field", ...names],
    ...LABELLED_ROWS.map((row) => [
      ROW_TITLES[row] ?? row,
      // An extractor that does not report a field (Readability: provenance, captions) shows "–".
      ...names.map((name) => formatShare(summary.fields[row][name], "–")),
    ]),
  ];
  lines.push(...formatTable(rows));
  for (const error of summary.errors) lines.push(`error  ${error.extractor}  ${error.page}  ${error.error}`);
  return lines;
}

runBenchmark(NAME, USAGE, main);
