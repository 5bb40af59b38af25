import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXTRACTION_HEAP_MB } from "../src/extract-config.js";
import { runInChild, sendToParent } from "./lib/child-run.js";
import { errorMessage, formatNumber, parseCount, runBenchmark, UsageError } from "./lib/cli.js";
import { type CompiledTree, compileTree } from "./lib/compiled.js";
import { copydeskAvailable, PARSE_PAGE_PATH } from "./lib/copydesk.js";
import { defaultCorpusDir, loadScrapinghubPages, REPO_ROOT, type ScrapinghubPage } from "./lib/corpus.js";
import {
  EXTRACTORS,
  type ExtractorName,
  type ExtractorRun,
  isExtractorName,
  runExtractor,
} from "./lib/extraction-run.js";
import { describeMachine, formatMachine, type MachineInfo } from "./lib/machine.js";
import { createProgress } from "./lib/progress.js";
import {
  bootstrapStd,
  DEFAULT_BOOTSTRAP,
  type PageScore,
  pageF1,
  pagePrecision,
  pageRecall,
  type QualityMetrics,
  scorePage,
  summarise,
} from "./lib/scoring.js";
import { percentile } from "./lib/stats.js";

/**
 * Body-text quality and speed of copydesk against plain Readability on the ScrapingHub
 * article-extraction benchmark, both in one run so the ratios compare like with like.
 */

const NAME = "bench:quality";
const USAGE = `usage: npm run bench:quality -- [--corpus <dir>] [--predictions <file>] [--json] [--limit N]
                                   [--only copydesk|copydesk-jsdom|readability] [--worst N]
                                   [--passes N] [--baseline <rev>]
  --corpus       folder with ground-truth.json and html/<id>.html.gz (default ../shared/corpus/scrapinghub-dev)
  --predictions  write copydesk's texts as {id: {articleBody}}, the benchmark's own format
  --json         print one JSON object instead of the table
  --limit N      only the first N pages (by id)
  --only         run one extractor
  --worst N      list the N lowest-F1 pages of each extractor (default 10)
  --passes N     passes of copydesk over the corpus, for its live heap after each (default 3);
                 quality and the first-pass speed come from the first, the warm speed from the others
  --baseline R   also run copydesk's extractor as it was at git revision R (a tag, a commit), in the
                 same run and the same harness, from a worktree on R's own dependencies (npm ci
                 there when its lock file or patches differ from the checkout's)
`;

interface Options {
  corpus: string;
  predictions: string | undefined;
  json: boolean;
  limit: number | undefined;
  only: ExtractorName | undefined;
  worst: number;
  passes: number;
  baseline: string | undefined;
  /** Internal: run `only` in this process and send the run to the parent over IPC. */
  child: boolean;
  /** Internal, with --child: copydesk's parse-page.ts from another tree (the baseline's). */
  parsePage: string | undefined;
  help: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      corpus: { type: "string" },
      predictions: { type: "string" },
      json: { type: "boolean", default: false },
      limit: { type: "string" },
      only: { type: "string" },
      worst: { type: "string" },
      passes: { type: "string" },
      baseline: { type: "string" },
      child: { type: "boolean", default: false },
      "parse-page": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.only !== undefined && !isExtractorName(values.only)) {
    throw new UsageError(`--only wants one of ${EXTRACTORS.join(", ")}, got "${values.only}"`);
  }
  return {
    corpus: resolve(values.corpus ?? defaultCorpusDir("scrapinghub-dev")),
    predictions: values.predictions,
    json: values.json,
    limit: parseCount("limit", values.limit),
    only: values.only,
    worst: parseCount("worst", values.worst) ?? 10,
    // A child runs the passes its parent asks for: copydesk three, the others one.
    passes: Math.max(1, parseCount("passes", values.passes) ?? (values.child ? 1 : 3)),
    baseline: values.baseline,
    child: values.child,
    parsePage: values["parse-page"],
    help: values.help,
  };
}

interface PageReport {
  id: string;
  url: string;
  f1: number;
  precision: number;
  recall: number;
  exact: boolean;
  empty: boolean;
  ms: number;
  error: string | null;
}

interface ExtractorReport extends QualityMetrics {
  extractor: ExtractorName;
  /** The row's name: the extractor, or the extractor with its heap or its revision. */
  label: string;
  passes: number;
  /** heapUsed after a full GC at the end of each pass, when measured. */
  liveHeapMiB: number[];
  std: QualityMetrics;
  pages: number;
  emptyPredictions: number;
  /** Pages over the summed extraction wall time. */
  pagesPerSecond: number;
  /** Pages over the summed CPU time of the same spans. */
  pagesPerCpuSecond: number;
  msPerPage: { mean: number; p50: number; p95: number; max: number };
  cpuMsPerPage: { mean: number };
  /** The same speed figures over passes 2 and later, when there were any. */
  warm: { pagesPerSecond: number; pagesPerCpuSecond: number; p50: number; p95: number } | null;
  peakRssMiB: number;
  maxRssMiB: number;
  errors: { id: string; url: string; error: string }[];
  perPage: PageReport[];
}

function scoreRun(run: ExtractorRun, pages: readonly ScrapinghubPage[]): ExtractorReport {
  const byId = new Map(run.pages.map((page) => [page.id, page]));
  const scores: PageScore[] = [];
  const perPage: PageReport[] = [];
  for (const page of pages) {
    const result = byId.get(page.id);
    const text = result?.text ?? "";
    const score = scorePage(page.articleBody, text);
    scores.push(score);
    perPage.push({
      id: page.id,
      url: page.url,
      f1: pageF1(score),
      precision: pagePrecision(score),
      recall: pageRecall(score),
      exact: score.exact,
      empty: score.tp + score.fp === 0,
      ms: result?.ms ?? 0,
      error: result ? result.error : "no result",
    });
  }
  const times = run.pages.map((page) => page.ms);
  const totalMs = times.reduce((sum, ms) => sum + ms, 0);
  const totalCpuMs = run.pages.reduce((sum, page) => sum + page.cpuMs, 0);
  return {
    extractor: run.extractor,
    label: run.label ?? run.extractor,
    passes: run.passes ?? 1,
    liveHeapMiB: run.liveHeapMiB ?? [],
    ...summarise(scores),
    std: bootstrapStd(scores, DEFAULT_BOOTSTRAP),
    pages: pages.length,
    emptyPredictions: perPage.filter((page) => page.empty).length,
    pagesPerSecond: totalMs > 0 ? (run.pages.length * 1000) / totalMs : 0,
    pagesPerCpuSecond: totalCpuMs > 0 ? (run.pages.length * 1000) / totalCpuMs : 0,
    msPerPage: {
      mean: times.length > 0 ? totalMs / times.length : 0,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      max: times.length > 0 ? Math.max(...times) : 0,
    },
    cpuMsPerPage: { mean: run.pages.length > 0 ? totalCpuMs / run.pages.length : 0 },
    warm: warmSpeed(run),
    peakRssMiB: run.peakRssMiB,
    maxRssMiB: run.maxRssMiB,
    errors: perPage.flatMap((page) =>
      page.error ? [{ id: page.id, url: page.url, error: page.error }] : [],
    ),
    perPage,
  };
}

function warmSpeed(run: ExtractorRun): ExtractorReport["warm"] {
  const ms = run.warm?.ms ?? [];
  if (ms.length === 0) return null;
  const totalMs = ms.reduce((sum, value) => sum + value, 0);
  const totalCpuMs = (run.warm?.cpuMs ?? []).reduce((sum, value) => sum + value, 0);
  return {
    pagesPerSecond: totalMs > 0 ? (ms.length * 1000) / totalMs : 0,
    pagesPerCpuSecond: totalCpuMs > 0 ? (ms.length * 1000) / totalCpuMs : 0,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
  };
}

interface Ratios {
  pagesPerSecond: number;
  pagesPerCpuSecond: number;
  /** Warm passes over warm passes, when both runs had them. */
  warmPagesPerSecond: number | null;
  warmPagesPerCpuSecond: number | null;
  f1: number;
}

/** The row whose passes after the first are not disturbed by forced GCs (see runPlans). */
const WARM_LABEL = "copydesk (warm)";

function ratiosOf(reports: readonly ExtractorReport[], over: string): Ratios | null {
  const found = reports.find((report) => report.label === "copydesk");
  const plain = reports.find((report) => report.label === over);
  if (!found || !plain) return null;
  const copydesk = { ...found, warm: reports.find((report) => report.label === WARM_LABEL)?.warm ?? null };
  return {
    pagesPerSecond: copydesk.pagesPerSecond / plain.pagesPerSecond,
    pagesPerCpuSecond: copydesk.pagesPerCpuSecond / plain.pagesPerCpuSecond,
    warmPagesPerSecond:
      copydesk.warm && plain.warm ? copydesk.warm.pagesPerSecond / plain.warm.pagesPerSecond : null,
    warmPagesPerCpuSecond:
      copydesk.warm && plain.warm ? copydesk.warm.pagesPerCpuSecond / plain.warm.pagesPerCpuSecond : null,
    f1: copydesk.f1 / plain.f1,
  };
}

function withStd(value: number, std: number): string {
  return `${formatNumber(value)} ± ${formatNumber(std)}`;
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

function formatReport(
  options: Options,
  machine: MachineInfo,
  pageCount: number,
  reports: readonly ExtractorReport[],
  failures: readonly { extractor: string; error: string }[],
): string {
  const lines = [`corpus   ${options.corpus} (${pageCount} pages)`, `machine  ${formatMachine(machine)}`, ""];
  lines.push(
    formatTable([
      [
        "extractor",
        "F1",
        "precision",
        "recall",
        "accuracy",
        "pages/s",
        "pages/cpu_s",
        "p50_ms",
        "p95_ms",
        "max_ms",
        "warm_pages/s",
        "warm_cpu_s",
        "warm_p95_ms",
        "peak_rss_MiB",
        "max_rss_MiB",
        "errors",
      ],
      ...reports.map((r) => [
        r.label,
        withStd(r.f1, r.std.f1),
        withStd(r.precision, r.std.precision),
        withStd(r.recall, r.std.recall),
        withStd(r.accuracy, r.std.accuracy),
        formatNumber(r.pagesPerSecond, 1),
        formatNumber(r.pagesPerCpuSecond, 1),
        formatNumber(r.msPerPage.p50, 1),
        formatNumber(r.msPerPage.p95, 1),
        formatNumber(r.msPerPage.max, 0),
        r.warm ? formatNumber(r.warm.pagesPerSecond, 1) : "-",
        r.warm ? formatNumber(r.warm.pagesPerCpuSecond, 1) : "-",
        r.warm ? formatNumber(r.warm.p95, 1) : "-",
        formatNumber(r.peakRssMiB, 0),
        formatNumber(r.maxRssMiB, 0),
        String(r.errors.length),
      ]),
    ]),
  );
  lines.push("");
  for (const over of [
    "readability",
    ...reports.filter((r) => r.label.startsWith("copydesk@")).map((r) => r.label),
  ]) {
    const ratios = ratiosOf(reports, over);
    if (ratios) {
      const warm =
        ratios.warmPagesPerSecond !== null && ratios.warmPagesPerCpuSecond !== null
          ? `  warm pages/s x${formatNumber(ratios.warmPagesPerSecond, 2)}  warm pages/cpu_s x${formatNumber(ratios.warmPagesPerCpuSecond, 2)}`
          : "";
      lines.push(
        `copydesk/${over}  pages/s x${formatNumber(ratios.pagesPerSecond, 2)}  pages/cpu_s x${formatNumber(ratios.pagesPerCpuSecond, 2)}${warm}  F1 x${formatNumber(ratios.f1, 3)}`,
      );
    }
  }
  for (const report of reports) {
    if (report.liveHeapMiB.length === 0) continue;
    const heaps = report.liveHeapMiB.map((mib) => formatNumber(mib, 1)).join(" / ");
    lines.push(`${report.label}  live heap after GC, passes 1–${report.passes}: ${heaps} MiB`);
  }
  for (const failure of failures) lines.push("", `FAILED ${failure.extractor}: ${failure.error}`);
  for (const report of reports) {
    for (const error of report.errors) lines.push(`error  ${report.label}  ${error.id}  ${error.error}`);
  }
  if (options.worst > 0) {
    for (const report of reports) {
      const others = reports.filter((other) => other !== report);
      const worst = [...report.perPage]
        .sort((a, b) => a.f1 - b.f1 || a.id.localeCompare(b.id))
        .slice(0, options.worst);
      lines.push("", `worst ${worst.length} pages by F1: ${report.label}`);
      lines.push(
        formatTable([
          ["F1", "P", "R", ...others.map((other) => `${other.label}_F1`), "note", "id", "url"],
          ...worst.map((page) => [
            formatNumber(page.f1),
            formatNumber(page.precision),
            formatNumber(page.recall),
            ...others.map((other) =>
              formatNumber(other.perPage.find((p) => p.id === page.id)?.f1 ?? Number.NaN),
            ),
            page.error ? "error" : page.empty ? "empty" : "-",
            page.id.slice(0, 12),
            page.url,
          ]),
        ]),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

async function runChild(options: Options, pages: readonly ScrapinghubPage[]): Promise<number> {
  if (!options.only || !process.send)
    throw new UsageError("--child is internal: the parent starts it with --only");
  // The child holds no more than it needs: each page's path and URL, not its expected text.
  const run = await runExtractor(
    options.only,
    pages.map(({ id, url, htmlPath }) => ({ id, url, htmlPath })),
    {
      onPage: (page, done) => {
        void sendToParent({ type: "page", done, page });
      },
      passes: options.passes,
      parsePagePath: options.parsePage,
      keepTexts: false,
    },
  );
  await sendToParent({ type: "result", run });
  process.disconnect?.();
  return 0;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const allPages = loadScrapinghubPages(options.corpus);
  const pages = options.limit === undefined ? allPages : allPages.slice(0, options.limit);
  if (options.child) return runChild(options, pages);

  let extractors: ExtractorName[] = options.only ? [options.only] : [...EXTRACTORS];
  if (!copydeskAvailable()) {
    if (options.only !== undefined && options.only !== "readability")
      throw new Error(`copydesk's extractor is not there yet: ${PARSE_PAGE_PATH}`);
    process.stderr.write(`${NAME}: ${PARSE_PAGE_PATH} does not exist yet; measuring the baseline only.\n`);
    extractors = extractors.filter((name) => name === "readability");
  }

  const machine = describeMachine();
  const progress = createProgress();
  const runs: ExtractorRun[] = [];
  const failures: { extractor: string; error: string }[] = [];
  const cleanUp: (() => void)[] = [];
  let baseline: Baseline | null = null;
  try {
    // The children run compiled JavaScript under plain Node, as copydesk ships (compiled.ts).
    const tree = compileTree(REPO_ROOT, ["src", "bench"]);
    cleanUp.push(tree.remove);
    if (options.baseline !== undefined) {
      baseline = checkOutBaseline(options.baseline);
      cleanUp.push(baseline.remove);
    }
    for (const plan of runPlans(options, extractors, tree, baseline)) {
      progress.start(plan.label, pages.length);
      try {
        const run = await runInChild(
          plan.script,
          plan.args,
          (done, id) => progress.update(done, id.slice(0, 12)),
          plan.execArgv,
        );
        runs.push({ ...run, label: plan.label });
      } catch (error) {
        failures.push({
          extractor: plan.label,
          error: error instanceof Error ? error.message : errorMessage(error),
        });
      } finally {
        progress.stop();
      }
    }
  } finally {
    for (const remove of cleanUp.reverse()) remove();
  }

  const reports = runs.map((run) => scoreRun(run, pages));
  const copydeskRun = runs.find((run) => run.label === "copydesk");
  if (options.predictions) {
    if (copydeskRun) {
      const predictions = Object.fromEntries(
        copydeskRun.pages.map((page) => [page.id, { articleBody: page.text }]),
      );
      writeFileSync(options.predictions, `${JSON.stringify(predictions, null, 2)}\n`);
    } else {
      process.stderr.write(
        `${NAME}: copydesk did not run; no predictions written to ${options.predictions}.\n`,
      );
    }
  }

  if (options.json) {
    const output = {
      benchmark: "quality",
      corpus: options.corpus,
      pages: pages.length,
      machine,
      bootstrap: DEFAULT_BOOTSTRAP,
      extractors: Object.fromEntries(reports.map((report) => [report.label, report])),
      copydeskOverPlain: ratiosOf(reports, "readability"),
      copydeskOverBaseline: baseline ? ratiosOf(reports, baseline.label) : null,
      failures,
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    process.stdout.write(formatReport(options, machine, pages.length, reports, failures));
  }
  return failures.length > 0 ? 1 : 0;
}

interface RunPlan {
  label: string;
  script: string;
  args: string[];
  execArgv: string[];
}

/**
 * The runs, each in a child process: copydesk with Node's default heap over `passes` passes (its
 * live heap after each, by a forced GC); again without forced GCs, for the warm speed of the passes
 * after the first; copydesk with the heap cap its extraction threads get in the workers, for that
 * RSS; the baseline revision's extractor in this same harness, as the warm run; copydesk on jsdom
 * and plain Readability, which needs about a gigabyte, with the default heap.
 */
function runPlans(
  options: Options,
  extractors: readonly ExtractorName[],
  tree: CompiledTree,
  baseline: Baseline | null,
): RunPlan[] {
  const script = tree.resolve("bench/quality.ts");
  const parsePage = tree.resolve("src/parsers/parse-page.ts");
  const childArgs = (extractor: ExtractorName) => {
    const args = ["--child", "--only", extractor, "--corpus", options.corpus];
    if (extractor !== "readability") args.push("--parse-page", parsePage);
    if (options.limit !== undefined) args.push("--limit", String(options.limit));
    return args;
  };
  const plans: RunPlan[] = [];
  for (const extractor of extractors) {
    if (extractor !== "copydesk") {
      plans.push({ label: extractor, script, args: childArgs(extractor), execArgv: [] });
      continue;
    }
    plans.push({
      label: "copydesk",
      script,
      args: [...childArgs(extractor), "--passes", String(options.passes)],
      execArgv: ["--expose-gc"],
    });
    plans.push({
      label: WARM_LABEL,
      script,
      args: [...childArgs(extractor), "--passes", String(options.passes)],
      execArgv: [],
    });
    plans.push({
      label: `copydesk (heap cap ${EXTRACTION_HEAP_MB} MiB)`,
      script,
      args: childArgs(extractor),
      execArgv: [`--max-old-space-size=${EXTRACTION_HEAP_MB}`],
    });
    if (baseline)
      plans.push({
        label: baseline.label,
        script,
        // The later --parse-page wins.
        args: [
          ...childArgs(extractor),
          "--passes",
          String(options.passes),
          "--parse-page",
          baseline.parsePage,
        ],
        execArgv: [],
      });
  }
  return plans;
}

interface Baseline {
  label: string;
  /** src/parsers/parse-page.ts of the baseline's tree, compiled. */
  parsePage: string;
  remove: () => void;
}

/**
 * A detached git worktree of `rev`, on the checkout's node_modules when its dependencies are the
 * same, its src/ compiled as the checkout's is.
 */
function checkOutBaseline(rev: string): Baseline {
  const root = REPO_ROOT;
  const git = (...args: string[]) => execFileSync("git", ["-C", root, ...args], { encoding: "utf8" }).trim();
  let commit: string;
  try {
    commit = git("rev-parse", "--verify", `${rev}^{commit}`);
  } catch {
    throw new UsageError(`--baseline: no such revision: ${rev}`);
  }
  const dir = mkdtempSync(join(tmpdir(), "copydesk-baseline-"));
  rmSync(dir, { recursive: true, force: true });
  git("worktree", "add", "--detach", "--quiet", dir, commit);
  // The baseline runs on its own dependencies: ours when its lock file and patches are ours.
  if (sameDependencies(git, commit))
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  else
    execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "ignore" });
  const removeWorktree = () => {
    try {
      git("worktree", "remove", "--force", dir);
    } catch {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  let compiled: CompiledTree;
  try {
    compiled = compileTree(dir, ["src"]);
  } catch (error) {
    removeWorktree();
    throw error;
  }
  return {
    label: `copydesk@${commit.slice(0, 7)}`,
    parsePage: compiled.resolve("src/parsers/parse-page.ts"),
    remove: () => {
      compiled.remove();
      removeWorktree();
    },
  };
}

/** Whether the lock file and dependency patches at `commit` are the checkout's. */
function sameDependencies(git: (...args: string[]) => string, commit: string): boolean {
  try {
    git("diff", "--quiet", commit, "--", "package-lock.json", "patches");
    return true;
  } catch {
    return false;
  }
}

runBenchmark(NAME, USAGE, main);
