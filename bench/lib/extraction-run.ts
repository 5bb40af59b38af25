import { performance } from "node:perf_hooks";
import { errorMessage } from "./cli.js";
import { BENCH_FETCHED_AT, loadParsePage } from "./copydesk.js";
import { readPageHtml, type ScrapinghubPage } from "./corpus.js";
import { MIB } from "./machine.js";

/** copydesk on its default DOM (the array tree), copydesk on the reference DOM (jsdom), plain Readability. */
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
  /** What the report calls the run ("copydesk (heap cap 192 MiB)", "copydesk@4352eef"); the extractor's name when absent. */
  label?: string;
  /** The first pass's pages: their texts are scored and their times are the speed figures. */
  pages: PageRun[];
  /** Passes over the corpus; the later ones only measure memory. */
  passes?: number;
  /**
   * Passes 2 and later, for speed once the code is compiled and warm (a worker runs for hours; the
   * first pass also pays for V8 compiling every function): their pages' wall and CPU times. Only
   * in a process that does not force a GC after each pass for the live heap: a forced GC shrinks
   * the heap, and the next pass then runs ~20% slower while V8 grows it again.
   */
  warm?: { ms: number[]; cpuMs: number[] };
  /** `heapUsed` after a full GC at the end of each pass (when the process runs with --expose-gc). */
  liveHeapMiB?: number[];
  /** Largest `process.memoryUsage.rss()` sampled after each page. */
  peakRssMiB: number;
  /** The kernel's high-water mark for the process (`process.resourceUsage().maxRSS`). */
  maxRssMiB: number;
}

type ExtractBodyText = (html: string, url: string) => Promise<string>;

async function bodyTextExtractor(name: ExtractorName, parsePagePath?: string): Promise<ExtractBodyText> {
  if (name === "readability") {
    // jsdom only in the process that measures it: loaded into copydesk's, its ~50 MiB of heap made
    // every garbage collection there slower and counted in copydesk's RSS.
    const { extractWithReadability } = await import("./readability-baseline.js");
    return async (html, url) => extractWithReadability(html, url).text;
  }
  const parsePage = await loadParsePage(parsePagePath);
  // copydesk runs on its default DOM, whatever that is at the revision measured.
  const options = name === "copydesk-jsdom" ? { engine: "jsdom" as const } : {};
  return async (html, url) => parsePage({ html, url, fetchedAt: BENCH_FETCHED_AT }, options).body.text;
}

export interface RunOptions {
  /** Called with each page of the first pass as it is done. */
  onPage?: (run: PageRun, done: number) => void;
  passes?: number;
  /** copydesk's parse-page module from this path (a compiled tree, a baseline revision's). */
  parsePagePath?: string;
  /**
   * Whether the run's pages keep their texts. A benchmark child hands each page to its parent as it
   * goes and keeps none, so that the texts do not count in the memory it measures.
   */
  keepTexts?: boolean;
}

/** One extractor over the pages, in sequence, in this process, `passes` times. */
export async function runExtractor(
  name: ExtractorName,
  pages: readonly Pick<ScrapinghubPage, "id" | "url" | "htmlPath">[],
  { onPage = () => {}, passes = 1, parsePagePath, keepTexts = true }: RunOptions = {},
): Promise<ExtractorRun> {
  const extract = await bodyTextExtractor(name, parsePagePath);
  const runs: PageRun[] = [];
  const warm = { ms: [] as number[], cpuMs: [] as number[] };
  const liveHeapMiB: number[] = [];
  const collect = (globalThis as { gc?: () => void }).gc;
  let peakRss = process.memoryUsage.rss();
  for (let pass = 1; pass <= passes; pass++) {
    const pageRuns = await runPass(extract, pages, pass === 1 ? onPage : () => {}, keepTexts);
    if (pass === 1) runs.push(...pageRuns.runs);
    else
      for (const run of pageRuns.runs) {
        warm.ms.push(run.ms);
        warm.cpuMs.push(run.cpuMs);
      }
    peakRss = Math.max(peakRss, pageRuns.peakRss);
    if (collect) {
      collect();
      liveHeapMiB.push(process.memoryUsage().heapUsed / MIB);
    }
  }
  return {
    extractor: name,
    pages: runs,
    passes,
    ...(passes > 1 && !collect ? { warm } : {}),
    liveHeapMiB,
    peakRssMiB: peakRss / MIB,
    // maxRSS is in KiB.
    maxRssMiB: (process.resourceUsage().maxRSS * 1024) / MIB,
  };
}

async function runPass(
  extract: ExtractBodyText,
  pages: readonly Pick<ScrapinghubPage, "id" | "url" | "htmlPath">[],
  onPage: (run: PageRun, done: number) => void,
  keepTexts: boolean,
): Promise<{ runs: PageRun[]; peakRss: number }> {
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
    const run = { id: page.id, text, ms, cpuMs: (cpu.user + cpu.system) / 1000, error };
    onPage(run, runs.push(keepTexts ? run : { ...run, text: "" }));
  }
  return { runs, peakRss };
}
