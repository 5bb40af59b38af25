/**
 * Batch extraction and CLI start-up, through the built CLI (node bin/copydesk.js, as users run it):
 *
 *  - start-up: CPU (user + sys) and peak RSS from /usr/bin/time -v of `copydesk --help` and of
 *    `copydesk extract <one page>`, beside what the extraction itself costs (a bare node process that
 *    imports parsePage and parses the same page, less an empty node process);
 *  - batch: pages/s of `copydesk extract <folder>` over the ScrapingHub dev pages, and of
 *    `copydesk extract --warc` over a WARC (gzip records) made from them, on every CPU and on one
 *    thread, with the CLI's own summary beside the process's CPU and peak RSS.
 *
 * The corpus pages are read in place (../shared/corpus/scrapinghub-dev); the folder of decompressed
 * pages and the WARC are written to a temp dir for the run and removed after it.
 *
 *   npm run bench:batch -- [--corpus dir] [--rounds 5] [--only startup|folder|warc] [--format json] [--no-build] [--json]
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { writeWarc } from "../test/support/warc.js";
import { parseCount, runBenchmark, UsageError } from "./lib/cli.js";
import { defaultCorpusDir, loadScrapinghubPages, REPO_ROOT, readPageHtml } from "./lib/corpus.js";
import { describeMachine, formatMachine } from "./lib/machine.js";

const USAGE =
  "usage: tsx bench/batch.ts [--corpus dir] [--rounds N] [--only startup|folder|warc] [--format json|markdown|text] [--no-build] [--json]\n";

const CLI = path.join(REPO_ROOT, "bin", "copydesk.js");
const TIME = "/usr/bin/time";
/** The page `extract <one page>` reads: a golden fixture, so the figure does not depend on the corpus. */
const ONE_PAGE = {
  file: path.join(REPO_ROOT, "fixtures/sites/wsj.com/kursk-origin/source.html"),
  url: "https://www.wsj.com/world/europe/russia-pushes-ukrainian-forces-back-in-kursk-after-u-s-halts-support-5d2e8b71",
};

interface Measured {
  cpuSeconds: number;
  maxRssMiB: number;
  wallSeconds: number;
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Runs a command under /usr/bin/time -v and reads its CPU, peak RSS and wall time from the report. */
function timed(command: string, args: string[], options: { stdoutFile?: string } = {}): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const report = path.join(
      tmpdir(),
      `copydesk-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`,
    );
    const started = performance.now();
    const child = spawn(TIME, ["-v", "-o", report, command, ...args], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => {
      const wallSeconds = (performance.now() - started) / 1000;
      const text = readFileSync(report, "utf8");
      rmSync(report, { force: true });
      const field = (name: string) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(text)?.[1] ?? Number.NaN);
      const stdout = Buffer.concat(out).toString("utf8");
      if (options.stdoutFile) writeFileSync(options.stdoutFile, stdout);
      resolve({
        cpuSeconds: field("User time \\(seconds\\)") + field("System time \\(seconds\\)"),
        maxRssMiB: field("Maximum resident set size \\(kbytes\\)") / 1024,
        wallSeconds,
        stdout: options.stdoutFile ? "" : stdout,
        stderr,
        status,
      });
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

interface StartupFigures {
  rounds: number;
  nodeEmpty: { cpuSeconds: number; maxRssMiB: number };
  help: { cpuSeconds: number; maxRssMiB: number };
  extractOnePage: { cpuSeconds: number; maxRssMiB: number; wallSeconds: number };
  /** A bare node process importing parsePage and parsing the page, less an empty node process. */
  extractionItself: { cpuSeconds: number; maxRssMiB: number };
  /** extractOnePage − extractionItself: node, commander, config, the pool and its thread. */
  beyondExtraction: { cpuSeconds: number };
}

async function measureStartup(rounds: number): Promise<StartupFigures> {
  const script = path.join(mkdtempSync(path.join(tmpdir(), "copydesk-bench-startup-")), "parse-one.mjs");
  const parsePageModule = path.join(REPO_ROOT, "dist", "parsers", "parse-page.js");
  writeFileSync(
    script,
    `import { readFileSync } from "node:fs";
const { parsePage } = await import(${JSON.stringify(parsePageModule)});
parsePage({ html: readFileSync(process.argv[2], "utf8"), url: process.argv[3], fetchedAt: new Date().toISOString() });
`,
  );
  const runs: Record<"empty" | "help" | "extract" | "parse", Measured[]> = {
    empty: [],
    help: [],
    extract: [],
    parse: [],
  };
  // Interleaved, so a change of load on a shared machine touches every figure alike.
  for (let round = 0; round < rounds; round++) {
    runs.empty.push(await timed(process.execPath, ["-e", "0"]));
    runs.help.push(await timed(process.execPath, [CLI, "--help"]));
    const extract = await timed(process.execPath, [CLI, "extract", ONE_PAGE.file, "--url", ONE_PAGE.url]);
    if (extract.status !== 0) throw new Error(`copydesk extract failed: ${extract.stderr}`);
    runs.extract.push(extract);
    runs.parse.push(await timed(process.execPath, [script, ONE_PAGE.file, ONE_PAGE.url]));
  }
  rmSync(path.dirname(script), { recursive: true, force: true });
  const cpu = (list: Measured[]) => round(median(list.map((run) => run.cpuSeconds)), 2);
  const rss = (list: Measured[]) => round(median(list.map((run) => run.maxRssMiB)), 1);
  const itself = round(cpu(runs.parse) - cpu(runs.empty), 2);
  return {
    rounds,
    nodeEmpty: { cpuSeconds: cpu(runs.empty), maxRssMiB: rss(runs.empty) },
    help: { cpuSeconds: cpu(runs.help), maxRssMiB: rss(runs.help) },
    extractOnePage: {
      cpuSeconds: cpu(runs.extract),
      maxRssMiB: rss(runs.extract),
      wallSeconds: round(median(runs.extract.map((run) => run.wallSeconds)), 2),
    },
    extractionItself: { cpuSeconds: itself, maxRssMiB: rss(runs.parse) },
    beyondExtraction: { cpuSeconds: round(cpu(runs.extract) - itself, 2) },
  };
}

interface BatchSummaryLine {
  pages: number;
  records: number;
  errors: number;
  errorsByCode: Record<string, number>;
  skipped: number;
  threads: number;
  seconds: number;
  pagesPerSecond: number;
}

interface BatchFigures {
  input: "folder" | "warc";
  threads: number;
  format: string;
  pages: number;
  records: number;
  errors: number;
  errorsByCode: Record<string, number>;
  /** The CLI's own figure: pages over the batch's time, thread start-up included. */
  pagesPerSecond: number;
  /** Pages over the whole process's wall time (node start-up and exit included). */
  pagesPerSecondProcess: number;
  wallSeconds: number;
  cpuSeconds: number;
  /** Pages per second of CPU (user + sys, every thread): what a busy shared machine changes least. */
  pagesPerCpuSecond: number;
  maxRssMiB: number;
}

async function measureBatch(
  input: "folder" | "warc",
  args: string[],
  threads: number,
  format: string,
  work: string,
): Promise<BatchFigures> {
  const out = path.join(work, `${input}-${threads}.ndjson`);
  const run = await timed(
    process.execPath,
    [CLI, "extract", ...args, "--threads", String(threads), "--format", format, "--json", "--no-progress"],
    { stdoutFile: out },
  );
  if (run.status !== 0) throw new Error(`copydesk extract (${input}) failed: ${run.stderr}`);
  const summary = JSON.parse(run.stderr.trim().split("\n").at(-1) ?? "{}") as BatchSummaryLine;
  const lines = readFileSync(out, "utf8").split("\n").filter(Boolean).length;
  if (lines !== summary.pages) throw new Error(`${lines} lines on stdout for ${summary.pages} pages`);
  return {
    input,
    threads,
    format,
    pages: summary.pages,
    records: summary.records,
    errors: summary.errors,
    errorsByCode: summary.errorsByCode,
    pagesPerSecond: summary.pagesPerSecond,
    pagesPerSecondProcess: round(summary.pages / run.wallSeconds, 1),
    wallSeconds: round(run.wallSeconds, 2),
    cpuSeconds: round(run.cpuSeconds, 2),
    pagesPerCpuSecond: round(summary.pages / run.cpuSeconds, 1),
    maxRssMiB: round(run.maxRssMiB, 1),
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      corpus: { type: "string" },
      rounds: { type: "string" },
      only: { type: "string" },
      format: { type: "string" },
      "no-build": { type: "boolean" },
      json: { type: "boolean" },
    },
  });
  const rounds = Math.max(1, parseCount("rounds", values.rounds) ?? 5);
  const only = values.only;
  if (only !== undefined && !["startup", "folder", "warc"].includes(only))
    throw new UsageError("--only must be startup, folder or warc");
  const format = values.format ?? "json";
  if (!existsSync(TIME)) throw new Error(`${TIME} is needed for CPU and RSS figures (Debian package time)`);
  if (!values["no-build"]) {
    const build = spawnSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: "inherit" });
    if (build.status !== 0) throw new Error("npm run build failed");
  }
  const machine = describeMachine();
  const report: { machine: typeof machine; startup?: StartupFigures; batches: BatchFigures[] } = {
    machine,
    batches: [],
  };
  if (only === undefined || only === "startup") report.startup = await measureStartup(rounds);

  if (only !== "startup") {
    const corpus = values.corpus ?? defaultCorpusDir("scrapinghub-dev");
    const pages = loadScrapinghubPages(corpus);
    const work = mkdtempSync(path.join(tmpdir(), "copydesk-bench-batch-"));
    try {
      const all = availableParallelism();
      if (only === undefined || only === "folder") {
        const folder = path.join(work, "pages");
        mkdirSync(folder, { recursive: true });
        for (const page of pages) writeFileSync(path.join(folder, `${page.id}.html`), readPageHtml(page));
        // Every page under one made-up site, so all of them are extracted (5 of the 119 name no
        // canonical URL); the WARC below carries each page's real URL.
        const args = [folder, "--base-url", "https://corpus.example/"];
        for (const threads of [all, 1])
          report.batches.push(await measureBatch("folder", args, threads, format, work));
      }
      if (only === undefined || only === "warc") {
        const warc = path.join(work, "corpus.warc.gz");
        const now = new Date().toISOString();
        await writeWarc(
          warc,
          pages.map((page) => ({ url: page.url, body: readPageHtml(page), date: now })),
          { gzip: true },
        );
        for (const threads of [all, 1]) {
          report.batches.push(await measureBatch("warc", ["--warc", warc], threads, format, work));
        }
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const lines = [`bench:batch on ${formatMachine(machine)}`];
  const startup = report.startup;
  if (startup) {
    lines.push(
      "",
      `CLI start-up (median of ${startup.rounds} runs, /usr/bin/time -v, CPU = user + sys):`,
      `  node -e 0                               ${startup.nodeEmpty.cpuSeconds.toFixed(2)} s CPU, ${startup.nodeEmpty.maxRssMiB} MiB`,
      `  copydesk --help                         ${startup.help.cpuSeconds.toFixed(2)} s CPU, ${startup.help.maxRssMiB} MiB`,
      `  copydesk extract <one page>             ${startup.extractOnePage.cpuSeconds.toFixed(2)} s CPU, ${startup.extractOnePage.maxRssMiB} MiB, ${startup.extractOnePage.wallSeconds} s wall`,
      `  the extraction itself (import + parse)  ${startup.extractionItself.cpuSeconds.toFixed(2)} s CPU`,
      `  extract beyond the extraction           ${startup.beyondExtraction.cpuSeconds.toFixed(2)} s CPU`,
    );
  }
  if (report.batches.length > 0) {
    lines.push(
      "",
      "| input | threads | format | pages | records | errors | pages/s (batch) | pages/s (process) | wall s | CPU s | pages per CPU-s | max RSS MiB |",
    );
    lines.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const batch of report.batches) {
      lines.push(
        `| ${batch.input} | ${batch.threads} | ${batch.format} | ${batch.pages} | ${batch.records} | ${batch.errors} | ${batch.pagesPerSecond} | ${batch.pagesPerSecondProcess} | ${batch.wallSeconds} | ${batch.cpuSeconds} | ${batch.pagesPerCpuSecond} | ${batch.maxRssMiB} |`,
      );
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

runBenchmark("bench:batch", USAGE, main);
