import { loadConfig } from "../config.js";
import { type DemoProgress, type DemoSummary, runDemo } from "../dev/demo/run-demo.js";
import { positiveInt } from "./worker.js";

/**
 * `copydesk demo` (`npm run demo`): runs the pipeline against a local newsroom for a bounded time
 * and prints what it stored. Progress on a terminal, nothing but the result when piped.
 */
export const demoCommand = async (options: { seconds: string; json?: boolean }) => {
  const config = loadConfig();
  const seconds = positiveInt(options.seconds, "--seconds");
  const tty = Boolean(process.stderr.isTTY) && !options.json;
  if (tty)
    process.stderr.write(`copydesk demo: running the pipeline for ${seconds}s against a local newsroom\n`);
  const summary = await runDemo(config, { seconds, ...(tty ? { onProgress: drawProgress } : {}) });
  if (tty) process.stderr.write("\n");
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    process.stdout.write(renderSummary(summary));
  }
  if (summary.articles.length === 0) process.exitCode = 1;
};

function drawProgress(p: DemoProgress): void {
  const width = 24;
  const done = Math.round((p.elapsedMs / p.totalMs) * width);
  const bar = `${"#".repeat(done)}${"-".repeat(width - done)}`;
  process.stderr.write(
    `\r[${bar}] ${Math.round(p.elapsedMs / 1000)}s  articles ${p.articles}  stories ${p.stories}  revisions ${p.revisions}  jobs ${p.completedJobs} done, ${p.failedJobs} failed   `,
  );
}

function pad(text: string, width: number): string {
  const clipped = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return clipped.padEnd(width);
}

export function renderSummary(summary: DemoSummary): string {
  const lines: string[] = [];
  lines.push(
    `Redis: ${summary.privateRedis ? `private redis-server (${summary.redis})` : summary.redis}; store: ${summary.sqlitePath}; log: ${summary.logFile}`,
  );
  lines.push(
    `Newsroom: ${summary.newsroom.ledger} (The Harbour Ledger), ${summary.newsroom.digest} (Newsdesk Digest); ${summary.requestsServed} requests served`,
  );
  lines.push(`Jobs: ${summary.jobs.completed} completed, ${summary.jobs.failed} failed`, "");
  lines.push(`${pad("Title", 52)} ${pad("Site", 16)} ${pad("Rev", 4)} Paywalled`);
  for (const a of summary.articles) {
    lines.push(
      `${pad(a.title ?? "(no title)", 52)} ${pad(a.site, 16)} ${pad(String(a.revision), 4)} ${a.paywalled ? "yes" : ""}`,
    );
  }
  lines.push("", `${summary.articles.length} articles in ${summary.stories.length} stories`);
  for (const story of summary.stories.filter((s) => s.sources.length > 1)) {
    lines.push(
      `  story "${story.title ?? story.storyId}": ${story.sources.map((s) => `${s.role} ${new URL(s.url).host}`).join(", ")}`,
    );
  }
  if (summary.failures.length > 0) lines.push("", "Failed jobs:", ...summary.failures.map((f) => `  ${f}`));
  return `${lines.join("\n")}\n`;
}
