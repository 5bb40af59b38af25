import { readFile } from "node:fs/promises";
import { CopydeskError } from "../domain/errors.js";
import { parseInputFor } from "../domain/page.js";
import { parseHttpUrl } from "../domain/url.js";
import type { Fetcher } from "../fetchers/fetch-page.js";
import { checkFetchedHtml } from "./page-html.js";
import type { BatchPage, BatchSource } from "./run-batch.js";

/**
 * The URLs of a list file (or standard input for -): one per line; blank lines and lines starting
 * with # are left out. Each is fetched the way the workers fetch (robots.txt, per-host delay, limits,
 * SSRF guard) when its turn comes; a line that is not an http(s) URL is a page whose line is INPUT_BAD_URL.
 */
export async function readUrlList(list: string): Promise<string[]> {
  let text: string;
  try {
    text = list === "-" ? await readStdin() : await readFile(list, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new CopydeskError(
      "INPUT_UNREADABLE",
      `cannot read ${list === "-" ? "standard input" : list} (${reason})`,
    );
  }
  const urls = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (urls.length === 0)
    throw new CopydeskError("INPUT_INVALID", `no URLs in ${list === "-" ? "standard input" : list}`);
  return urls;
}

export function urlPages(urls: string[], fetcher: Fetcher): BatchSource {
  async function* pages(): AsyncGenerator<BatchPage> {
    for (const url of urls) yield { source: url, url, load: () => fetchForExtraction(url, fetcher) };
  }
  return { pages: pages(), progress: { unit: "pages", total: urls.length } };
}

async function fetchForExtraction(url: string, fetcher: Fetcher) {
  parseHttpUrl(url);
  const result = await fetcher.fetchPage(url);
  if (result.kind !== "page") {
    // Only a conditional GET can answer 304, and ingest never sends one.
    throw new CopydeskError("FETCH_HTTP_PERMANENT", `${url} answered 304 to an unconditional request`);
  }
  checkFetchedHtml(result.page.raw, result.page.html, url);
  return parseInputFor(result.page);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
