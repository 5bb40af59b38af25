import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/**
 * The evaluation corpora live beside the checkout (../shared/corpus) and are read in place, never copied
 * into the repository.
 */

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function defaultCorpusDir(folder: string): string {
  return resolve(REPO_ROOT, "..", "shared", "corpus", folder);
}

/** Thrown when a corpus is absent or incomplete, so a benchmark can skip with a message instead. */
export class CorpusMissingError extends Error {
  override readonly name = "CorpusMissingError";
}

/** One page of the ScrapingHub article-extraction benchmark. */
export interface ScrapinghubPage {
  id: string;
  url: string;
  /** The hand-made ground truth of the article body. */
  articleBody: string;
  htmlPath: string;
}

interface GroundTruthEntry {
  articleBody?: string;
  url?: string;
}

/** Pages sorted by id, so `--limit` and every run see the same order. */
export function loadScrapinghubPages(corpusDir: string): ScrapinghubPage[] {
  const truthPath = join(corpusDir, "ground-truth.json");
  if (!existsSync(truthPath)) {
    throw new CorpusMissingError(`no ground-truth.json in ${corpusDir}`);
  }
  const truth = JSON.parse(readFileSync(truthPath, "utf8")) as Record<string, GroundTruthEntry>;
  return Object.keys(truth)
    .sort()
    .map((id) => {
      const entry = truth[id] ?? {};
      const htmlPath = join(corpusDir, "html", `${id}.html.gz`);
      if (!existsSync(htmlPath)) throw new CorpusMissingError(`missing page ${htmlPath}`);
      return { id, url: entry.url ?? "", articleBody: entry.articleBody ?? "", htmlPath };
    });
}

/** The corpus pages are gzip-compressed UTF-8. */
export function readPageHtml(page: Pick<ScrapinghubPage, "htmlPath">): string {
  return gunzipSync(readFileSync(page.htmlPath)).toString("utf8");
}

/** Metadata as Mozilla Readability's test suite expects it (`expected-metadata.json`). */
export interface ExpectedMetadata {
  title: string | null;
  byline: string | null;
  excerpt: string | null;
  siteName: string | null;
  publishedTime: string | null;
  lang: string | null;
}

export interface ReadabilityTestCase {
  name: string;
  sourcePath: string;
  expected: ExpectedMetadata;
}

export function loadReadabilityTestCases(corpusDir: string): ReadabilityTestCase[] {
  if (!existsSync(corpusDir)) throw new CorpusMissingError(`no such folder: ${corpusDir}`);
  const cases = readdirSync(corpusDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .filter((name) => existsSync(join(corpusDir, name, "expected-metadata.json")))
    .map((name) => {
      const raw = JSON.parse(readFileSync(join(corpusDir, name, "expected-metadata.json"), "utf8")) as Record<
        string,
        unknown
      >;
      const field = (key: string): string | null => (typeof raw[key] === "string" ? raw[key] : null);
      return {
        name,
        sourcePath: join(corpusDir, name, "source.html"),
        expected: {
          title: field("title"),
          byline: field("byline"),
          excerpt: field("excerpt"),
          siteName: field("siteName"),
          publishedTime: field("publishedTime"),
          lang: field("lang"),
        },
      };
    });
  if (cases.length === 0)
    throw new CorpusMissingError(`no test cases with expected-metadata.json in ${corpusDir}`);
  return cases;
}
