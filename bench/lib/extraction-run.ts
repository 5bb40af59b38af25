import { performance } from "node:perf_hooks";
import { errorMessage } from "./cli.js";
import { BENCH_FETCHED_AT, loadParsePage } from "./copydesk.js";
import { readPageHtml, type ScrapinghubPage } from "./corpus.js";
import { MIB } from "./machine.js";
import { extractWithReadability } from "./readability-baseline.js";

/** copydesk on its default DOM (linkedom), copydesk on the reference DOM (jsdom), plain Readability. */
export const EXTRACTORS = ["copydesk", "copydesk-jsdom", "readability"] as const;
export type ExtractorName = (typeof EXTRACTORS)[number];

export function isExtractorName(value: string): value is ExtractorName {
  return (EXTRACTORS as readonly string[]).includes(value);
}

export interface PageRun {
  id: string;
  /** The extracted body text; "" when the extractor threw or found nothing. */
  text: string;
  /** Extraction wall time only: reading and gunzipping the page are outside it. */
  ms: number;
  /**
   * CPU time of the process (user + system, all threads, so GC helpers count) over the same span: steadier
   * than wall time when other work shares the machine.
   */
  cpuMs: number;
  /** The exception's first line when the page threw (it is then scored as an empty prediction). */
  error: string | null;
}

export interface ExtractorRun {
  extractor: ExtractorName;
  pages: PageRun[];
  /** Largest `process.memoryUsage.rss()` sampled after each page. */
  peakRssMiB: number;
  /** The kernel's high-water mark for the process (`process.resourceUsage().maxRSS`). */
  maxRssMiB: number;
}

type ExtractBodyText = (html: string, url: string) => Promise<string>;

async function bodyTextExtractor(name: ExtractorName): Promise<ExtractBodyText> {
  if (name === "readability") return async (html, url) => extractWithReadability(html, url).text;
  const parsePage = await loadParsePage();
  const engine = name === "copydesk-jsdom" ? "jsdom" : "linkedom";
  return async (html, url) => parsePage({ html, url, fetchedAt: BENCH_FETCHED_AT }, { engine }).body.text;
}

/** One extractor over the pages, in sequence, in this process. */
export async function runExtractor(
  name: ExtractorName,
  pages: readonly ScrapinghubPage[],
  onPage: (done: number, id: string) => void = () => {},
): Promise<ExtractorRun> {
  const extract = await bodyTextExtractor(name);
  const runs: PageRun[] = [];
  let peakRss = process.memoryUsage.rss();
  for (const page of pages) {
    const html = readPageHtml(page);
    let text = "";
    let error: string | null = null;
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    try {
      text = await extract(html, page.url);
    } catch (thrown) {
      error = errorMessage(thrown);
    }
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    runs.push({ id: page.id, text, ms, cpuMs: (cpu.user + cpu.system) / 1000, error });
    onPage(runs.length, page.id);
  }
  return {
    extractor: name,
    pages: runs,
    peakRssMiB: peakRss / MIB,
    // maxRSS is in KiB.
    maxRssMiB: (process.resourceUsage().maxRSS * 1024) / MIB,
  };
}
