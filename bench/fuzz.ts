import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { EXTRACT_TIMEOUT_MS, EXTRACTION_HEAP_MB, resolveThreads } from "../src/queue/extract-pool.js";
import { formatNumber, parseCount, runBenchmark, UsageError } from "./lib/cli.js";
import { CorpusMissingError, defaultCorpusDir, loadScrapinghubPages, readPageHtml } from "./lib/corpus.js";
import { type HostResult, runHost, runOnHosts } from "./lib/fuzz-host.js";
import { describeMachine, formatMachine, MIB } from "./lib/machine.js";
import { caseRandom, MUTATORS, type Mutator, mutatorNamed, pickMutator } from "./lib/mutate.js";
import { createProgress } from "./lib/progress.js";
import { randomIndex } from "./lib/seeded-random.js";
import { percentile } from "./lib/stats.js";

/**
 * Mutated and hostile pages through the extraction pool, as the workers run it: every case must end
 * in a record or a typed error (a CopydeskError with a stable code), in bounded time and memory, and
 * every record must carry plain text and http(s) URLs only. The pool runs in a child process (the
 * "host") so its RSS is measured apart from this script's, and so a page that kills or hangs it is
 * recorded as a crash instead of ending the run.
 */

const DEFAULT_COUNT = 10_000;
/**
 * A case's time runs from handing the page to the pool to its answer, so it includes copying the
 * page into the thread and the record out, which the pool's own timer does not count.
 */
const TIME_LIMIT_SLACK_MS = 2_000;
/** A case still running this long after the time limit is taken as hung: the host is killed. */
const HANG_GRACE_MS = 15_000;
const LIST_LIMIT = 40;

const NAME = "fuzz";
const USAGE = `usage: npm run fuzz -- [--count N] [--seed S] [--json] [--threads N] [--only m1,m2]
                        [--case I] [--save DIR] [--no-corpus] [--time-limit-ms MS] [--max-rss-mib MIB]
  --count N          mutated and hostile cases (default 10000), after the unmodified corpus pages
  --seed S           seed of the run (default 1); case I of seed S is the same page on every run
  --json             print one JSON object instead of the tables
  --threads N        extraction threads of the pool (default: one per CPU; 0 for the pool's own
                     choice, one less than the CPUs, as \`copydesk worker\` runs it)
  --only m1,m2       only these mutators: ${MUTATORS.map((m) => m.name).join(", ")}
  --case I           run case I of the seed alone (with --only as it was), e.g. to reproduce a failure
  --save DIR         write the HTML of every failing case to DIR (outside the repository)
  --no-corpus        skip the unmodified corpus pages
  --time-limit-ms    the pool's time limit per page (default EXTRACT_TIMEOUT_MS, ${EXTRACT_TIMEOUT_MS}); a record
                     later than this (+ ${TIME_LIMIT_SLACK_MS} ms for copying the page in and out) fails the run
  --hang-ms MS       a case still running after this is ended by killing the pool's process (default
                     the time limit + 15000)
  --max-rss-mib      the pool's process must stay under this RSS (default 256 + threads × 2 × heap cap)
  --scrapinghub DIR  default ../shared/corpus/scrapinghub-dev
  --readability DIR  default ../shared/corpus/readability-test-pages
`;

interface Options {
  count: number;
  seed: number;
  json: boolean;
  threads: number;
  only: Mutator[] | undefined;
  caseIndex: number | undefined;
  save: string | undefined;
  corpus: boolean;
  timeLimitMs: number;
  hangMs: number;
  maxRssMiB: number;
  scrapinghub: string;
  readability: string;
  host: boolean;
  help: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: "string" },
      seed: { type: "string" },
      json: { type: "boolean", default: false },
      threads: { type: "string" },
      only: { type: "string" },
      case: { type: "string" },
      save: { type: "string" },
      "no-corpus": { type: "boolean", default: false },
      "time-limit-ms": { type: "string" },
      "hang-ms": { type: "string" },
      "max-rss-mib": { type: "string" },
      scrapinghub: { type: "string" },
      readability: { type: "string" },
      host: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const only = values.only?.split(",").map((name) => {
    const mutator = mutatorNamed(name.trim());
    if (!mutator) throw new UsageError(`--only: no mutator "${name}"`);
    return mutator;
  });
  // All CPUs by default: this script has no job locks to renew, and 10,000 cases on one thread of a
  // shared 2-core machine take longer than half an hour.
  const threads = resolveThreads(parseCount("threads", values.threads) ?? availableParallelism());
  const caseIndex = parseCount("case", values.case);
  const timeLimitMs = parseCount("time-limit-ms", values["time-limit-ms"]) ?? EXTRACT_TIMEOUT_MS;
  return {
    count: caseIndex === undefined ? (parseCount("count", values.count) ?? DEFAULT_COUNT) : 1,
    seed: parseCount("seed", values.seed) ?? 1,
    json: values.json,
    threads,
    only,
    caseIndex,
    save: values.save === undefined ? undefined : resolve(values.save),
    corpus: !values["no-corpus"] && caseIndex === undefined,
    timeLimitMs,
    hangMs: parseCount("hang-ms", values["hang-ms"]) ?? timeLimitMs + HANG_GRACE_MS,
    maxRssMiB: parseCount("max-rss-mib", values["max-rss-mib"]) ?? 256 + threads * 2 * EXTRACTION_HEAP_MB,
    scrapinghub: resolve(values.scrapinghub ?? defaultCorpusDir("scrapinghub-dev")),
    readability: resolve(values.readability ?? defaultCorpusDir("readability-test-pages")),
    host: values.host,
    help: values.help,
  };
}

// ---------------------------------------------------------------------------------------------
// Cases

interface SourcePage {
  id: string;
  url: string;
  html: string;
}

/** Both corpora, read once into memory (about 60 MB of strings), in a fixed order. */
function loadSources(options: Options): SourcePage[] {
  const pages: SourcePage[] = loadScrapinghubPages(options.scrapinghub).map((page) => ({
    id: `scrapinghub/${page.id.slice(0, 12)}`,
    url: page.url || `https://scrapinghub.example.org/${page.id}`,
    html: readPageHtml(page),
  }));
  if (!existsSync(options.readability))
    throw new CorpusMissingError(`no such folder: ${options.readability}`);
  for (const name of readdirSync(options.readability).sort()) {
    const path = join(options.readability, name, "source.html");
    if (!existsSync(path)) continue;
    pages.push({
      id: `readability/${name}`,
      url: "http://fakehost/test/page.html",
      html: readFileSync(path, "utf8"),
    });
  }
  return pages;
}

interface FuzzCase {
  /** "corpus:<n>" for an unmodified page, otherwise the case index within the seed. */
  id: string;
  mutator: string;
  variant: string;
  page: string;
  url: string;
  html: string;
}

/** Case `index` of `seed`: its mutator, its page and its mutation all come from its own stream. */
function buildCase(
  seed: number,
  index: number,
  mutators: readonly Mutator[],
  pages: readonly SourcePage[],
): FuzzCase {
  const random = caseRandom(seed, index);
  const mutator = pickMutator(random, mutators);
  const page = pages[randomIndex(random, pages.length)];
  if (!page) throw new Error("no mutator or no page to fuzz");
  const mutation = mutator.mutate(page.html, { random, scale: 1 });
  return {
    id: String(index),
    mutator: mutator.name,
    variant: mutation.variant,
    page: page.id,
    url: page.url,
    html: mutation.html,
  };
}

// ---------------------------------------------------------------------------------------------
// The run

interface CaseResult extends HostResult {
  mutator: string;
  variant: string;
  page: string;
}

interface Run {
  results: CaseResult[];
  hostMaxRssMiB: number;
  hostRestarts: number;
  warnings: string[];
  parentPeakRssMiB: number;
}

async function runCases(
  options: Options,
  cases: { total: number; at: (n: number) => FuzzCase },
  onDone: (result: CaseResult, done: number) => void,
): Promise<Run> {
  const results: CaseResult[] = [];
  let next = 0;
  let parentPeak = process.memoryUsage.rss();
  const hosts = await runOnHosts(
    {
      script: fileURLToPath(import.meta.url),
      args: ["--host", "--threads", String(options.threads), "--time-limit-ms", String(options.timeLimitMs)],
      threads: options.threads,
      hangMs: options.hangMs,
    },
    () => {
      if (next >= cases.total) return undefined;
      parentPeak = Math.max(parentPeak, process.memoryUsage.rss());
      return cases.at(next++);
    },
    (fuzzCase, hostResult) => {
      const result: CaseResult = {
        ...hostResult,
        mutator: fuzzCase.mutator,
        variant: fuzzCase.variant,
        page: fuzzCase.page,
      };
      results.push(result);
      if (options.save && (options.caseIndex !== undefined || isFailure(result, options)))
        saveCase(options, fuzzCase);
      onDone(result, results.length);
    },
  );
  return {
    results,
    ...hosts,
    parentPeakRssMiB: Math.max(parentPeak, process.resourceUsage().maxRSS * 1024) / MIB,
  };
}

function saveCase(options: Options, fuzzCase: FuzzCase): void {
  if (!options.save) return;
  mkdirSync(options.save, { recursive: true });
  const name = `seed${options.seed}-${fuzzCase.id.replace(/[^\w-]/g, "_")}-${fuzzCase.mutator}.html`;
  writeFileSync(join(options.save, name), fuzzCase.html);
}

// ---------------------------------------------------------------------------------------------
// Report

interface MutatorReport {
  mutator: string;
  cases: number;
  records: number;
  errors: Record<string, number>;
  crashes: number;
  hung: number;
  recordsWithFindings: number;
  overTimeLimit: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  worstMs: number;
  peakRssMiB: number;
}

interface Verdict {
  crashes: number;
  hung: number;
  /** EXTRACT_FAILED is the worker's catch-all for exceptions that are not CopydeskErrors: a bug. */
  unexpectedErrors: number;
  overTimeLimit: number;
  recordsWithFindings: number;
  schemaFailures: number;
  /** A page the pool failed after replacing a thread ended at a limit (the warm-up page). */
  poolWarnings: number;
  peakPoolRssMiB: number;
  maxRssMiB: number;
  passed: boolean;
}

/** A record that came later than the pool's limit allows: the limit did not end the page. */
function overTimeLimit(result: CaseResult, options: Options): boolean {
  return result.outcome.kind === "record" && result.ms > options.timeLimitMs + TIME_LIMIT_SLACK_MS;
}

function isFailure(result: CaseResult, options: Options): boolean {
  const { outcome } = result;
  if (outcome.kind === "crash" || outcome.kind === "hung") return true;
  if (outcome.kind === "error") return outcome.code === "EXTRACT_FAILED";
  return outcome.findings.length > 0 || outcome.schemaIssues.length > 0 || overTimeLimit(result, options);
}

function summariseMutator(mutator: string, results: readonly CaseResult[], options: Options): MutatorReport {
  const errors: Record<string, number> = {};
  for (const result of results) {
    if (result.outcome.kind === "error") errors[result.outcome.code] = (errors[result.outcome.code] ?? 0) + 1;
  }
  const times = results.map((result) => result.ms);
  return {
    mutator,
    cases: results.length,
    records: results.filter((r) => r.outcome.kind === "record").length,
    errors,
    crashes: results.filter((r) => r.outcome.kind === "crash").length,
    hung: results.filter((r) => r.outcome.kind === "hung").length,
    recordsWithFindings: results.filter(
      (r) =>
        r.outcome.kind === "record" && (r.outcome.findings.length > 0 || r.outcome.schemaIssues.length > 0),
    ).length,
    overTimeLimit: results.filter((r) => overTimeLimit(r, options)).length,
    meanMs: times.length > 0 ? times.reduce((sum, ms) => sum + ms, 0) / times.length : 0,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    worstMs: Math.max(0, ...times),
    peakRssMiB: Math.max(0, ...results.map((r) => r.peakRssMiB)),
  };
}

function verdictOf(results: readonly CaseResult[], options: Options, run: Run): Verdict {
  const peakPoolRssMiB = Math.max(run.hostMaxRssMiB, ...results.map((r) => r.peakRssMiB));
  const verdict = {
    crashes: results.filter((r) => r.outcome.kind === "crash").length,
    hung: results.filter((r) => r.outcome.kind === "hung").length,
    unexpectedErrors: results.filter((r) => r.outcome.kind === "error" && r.outcome.code === "EXTRACT_FAILED")
      .length,
    overTimeLimit: results.filter((r) => overTimeLimit(r, options)).length,
    recordsWithFindings: results.filter((r) => r.outcome.kind === "record" && r.outcome.findings.length > 0)
      .length,
    schemaFailures: results.filter((r) => r.outcome.kind === "record" && r.outcome.schemaIssues.length > 0)
      .length,
    poolWarnings: run.warnings.length,
    peakPoolRssMiB,
    maxRssMiB: options.maxRssMiB,
  };
  const passed =
    verdict.crashes + verdict.hung + verdict.unexpectedErrors + verdict.overTimeLimit === 0 &&
    verdict.poolWarnings === 0 &&
    verdict.recordsWithFindings + verdict.schemaFailures === 0 &&
    peakPoolRssMiB <= options.maxRssMiB;
  return { ...verdict, passed };
}

function formatTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function outcomeLabel(result: CaseResult): string {
  const { outcome } = result;
  if (outcome.kind === "error") return outcome.code;
  if (outcome.kind === "record")
    return outcome.findings.length + outcome.schemaIssues.length > 0 ? "flagged" : "record";
  return outcome.kind;
}

function describeOutcome(result: CaseResult): string {
  const { outcome } = result;
  switch (outcome.kind) {
    case "record":
      return [
        "record",
        ...outcome.schemaIssues.map((issue) => `schema ${issue}`),
        ...outcome.findings.map((f) => `${f.problem} in ${f.field}: ${JSON.stringify(f.excerpt)}`),
      ].join("; ");
    case "error":
      return `${outcome.code}: ${outcome.message}`;
    case "crash":
      return `crash: ${outcome.error}`;
    case "hung":
      return "hung: the host was killed";
  }
}

function reproduce(options: Options, result: CaseResult): string {
  if (result.id.startsWith("corpus:")) return `page ${result.page}`;
  const only = options.only ? ` --only ${options.only.map((m) => m.name).join(",")}` : "";
  return `npm run fuzz -- --seed ${options.seed}${only} --case ${result.id} --save <dir>`;
}

function formatReport(
  options: Options,
  machine: ReturnType<typeof describeMachine>,
  reports: readonly MutatorReport[],
  results: readonly CaseResult[],
  verdict: Verdict,
  run: { hostRestarts: number; warnings: string[]; parentPeakRssMiB: number; wallSeconds: number },
): string {
  const lines = [
    `machine  ${formatMachine(machine)}`,
    `run      seed ${options.seed}, ${results.length} cases (${options.count} mutated), ${options.threads} extraction thread(s), heap cap ${EXTRACTION_HEAP_MB} MiB, time limit ${options.timeLimitMs} ms, ${formatNumber(run.wallSeconds, 0)} s`,
    "",
  ];
  const codes = [...new Set(reports.flatMap((r) => Object.keys(r.errors)))].sort();
  lines.push(
    formatTable([
      [
        "mutator",
        "cases",
        "records",
        ...codes,
        "crashes",
        "hung",
        "flagged",
        "mean_ms",
        "p50_ms",
        "p95_ms",
        "worst_ms",
        "peak_rss_MiB",
      ],
      ...reports.map((r) => [
        r.mutator,
        String(r.cases),
        String(r.records),
        ...codes.map((code) => String(r.errors[code] ?? 0)),
        String(r.crashes),
        String(r.hung),
        String(r.recordsWithFindings),
        formatNumber(r.meanMs, 0),
        formatNumber(r.p50Ms, 0),
        formatNumber(r.p95Ms, 0),
        formatNumber(r.worstMs, 0),
        formatNumber(r.peakRssMiB, 0),
      ]),
    ]),
  );
  const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 10);
  lines.push("", "slowest cases");
  lines.push(
    formatTable([
      ["ms", "case", "mutator", "variant", "page", "outcome"],
      ...slowest.map((r) => [
        formatNumber(r.ms, 0),
        r.id,
        r.mutator,
        r.variant,
        r.page,
        describeOutcome(r).slice(0, 80),
      ]),
    ]),
  );
  const failures = results.filter((r) => isFailure(r, options));
  if (failures.length > 0) {
    lines.push(
      "",
      `failures (${failures.length}${failures.length > LIST_LIMIT ? `, first ${LIST_LIMIT}` : ""})`,
    );
    for (const r of failures.slice(0, LIST_LIMIT)) {
      lines.push(
        `  ${r.mutator} ${r.variant} on ${r.page}: ${describeOutcome(r).slice(0, 400)}`,
        `    ${reproduce(options, r)}`,
      );
    }
  }
  lines.push(
    "",
    `crashes ${verdict.crashes}, hung ${verdict.hung}, EXTRACT_FAILED ${verdict.unexpectedErrors}, over the time limit ${verdict.overTimeLimit}, records flagged ${verdict.recordsWithFindings}, schema failures ${verdict.schemaFailures}`,
    `peak RSS: pool process ${formatNumber(verdict.peakPoolRssMiB, 0)} MiB (bound ${verdict.maxRssMiB}), this script ${formatNumber(run.parentPeakRssMiB, 0)} MiB; pool host restarts ${run.hostRestarts}`,
    ...run.warnings.slice(0, LIST_LIMIT).map((warning) => `pool warning: ${warning}`),
    verdict.passed ? "PASS" : "FAIL",
  );
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.host) {
    await runHost(options.threads, options.timeLimitMs);
    return 0;
  }

  const machine = describeMachine();
  const pages = loadSources(options);
  const mutators = options.only ?? MUTATORS;
  const corpusCases: FuzzCase[] = options.corpus
    ? pages.map((page, n) => ({
        id: `corpus:${n}`,
        mutator: "none",
        variant: "-",
        page: page.id,
        url: page.url,
        html: page.html,
      }))
    : [];
  const firstIndex = options.caseIndex ?? 0;
  const total = corpusCases.length + options.count;
  const at = (n: number): FuzzCase =>
    n < corpusCases.length
      ? (corpusCases[n] as FuzzCase)
      : buildCase(options.seed, firstIndex + n - corpusCases.length, mutators, pages);

  const progress = createProgress();
  progress.start("fuzz", total);
  const started = performance.now();
  let run: Awaited<ReturnType<typeof runCases>>;
  try {
    run = await runCases(options, { total, at }, (result, done) => progress.update(done, result.mutator));
  } finally {
    progress.stop();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const byMutator = ["none", ...MUTATORS.map((m) => m.name)]
    .map((name) =>
      summariseMutator(
        name,
        run.results.filter((r) => r.mutator === name),
        options,
      ),
    )
    .filter((report) => report.cases > 0);
  const reports = [...byMutator, summariseMutator("all", run.results, options)];
  const verdict = verdictOf(run.results, options, run);

  if (options.json) {
    const output = {
      benchmark: "fuzz",
      machine,
      seed: options.seed,
      count: options.count,
      cases: run.results.length,
      threads: options.threads,
      heapCapMiB: EXTRACTION_HEAP_MB,
      timeLimitMs: options.timeLimitMs,
      wallSeconds,
      hostRestarts: run.hostRestarts,
      poolWarnings: run.warnings,
      parentPeakRssMiB: run.parentPeakRssMiB,
      mutators: reports,
      variants: variantCounts(run.results),
      verdict,
      slowest: [...run.results].sort((a, b) => b.ms - a.ms).slice(0, 20),
      failures: run.results
        .filter((r) => isFailure(r, options))
        .map((r) => ({ ...r, reproduce: reproduce(options, r) })),
      // Every case in the order it finished, briefly: what ran beside a crash, say.
      results: run.results.map((r) => [r.id, r.mutator, Math.round(r.ms), outcomeLabel(r)]),
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    process.stdout.write(
      formatReport(options, machine, reports, run.results, verdict, { ...run, wallSeconds }),
    );
  }
  return verdict.passed ? 0 : 1;
}

/** How many cases each variant of each mutator got: "deep-nesting div×60000 unclosed" and so on. */
function variantCounts(results: readonly CaseResult[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const result of results) {
    // Sizes vary per case; the variant's leading word is its kind.
    const kind = result.variant.split(/[\s×]/)[0] ?? result.variant;
    const forMutator = counts[result.mutator] ?? {};
    forMutator[kind] = (forMutator[kind] ?? 0) + 1;
    counts[result.mutator] = forMutator;
  }
  return counts;
}

runBenchmark(NAME, USAGE, main);
