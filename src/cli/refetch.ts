import type { Command } from "commander";
import { pino } from "pino";
import { loadConfig } from "../config.js";
import { parseHttpUrl, refuseCredentials } from "../domain/url.js";
import { joinRedisUrl, openPipeline } from "../queue/runtime.js";

interface RefetchOptions {
  force?: boolean;
  wait?: boolean;
  timeout: string;
  json?: boolean;
}

/** `copydesk refetch <url>`: queue a manual re-fetch (ahead of scheduled work), optionally wait for it. */
export function registerRefetch(program: Command): void {
  program
    .command("refetch")
    .description("Queue a manual re-fetch of an article URL (ahead of scheduled work).")
    .argument("<url>", "the article URL")
    .option("--force", "re-fetch and re-extract even when the page says it has not changed")
    .option("--wait", "wait for the job to finish and print its outcome")
    .option("--timeout <seconds>", "with --wait: give up waiting after this long", "120")
    .option("--json", "print JSON")
    .action(async (url: string, options: RefetchOptions) => {
      // Before anything connects: the queue would store the URL without its credentials.
      refuseCredentials(parseHttpUrl(url));
      const config = loadConfig();
      const pipeline = openPipeline(config, joinRedisUrl(config), pino({ level: "silent" }));
      try {
        const queued = await pipeline.jobs.enqueueRefetch(url, { force: options.force ?? false });
        if (!options.wait) {
          write(
            options.json,
            queued,
            `queued ${queued.jobId}${queued.deduplicated ? " (already queued)" : ""}`,
          );
          return;
        }
        const view = await pipeline.jobs.waitForJob(queued.jobId, Number(options.timeout) * 1000);
        if (!view) throw new Error(`job ${queued.jobId} disappeared`);
        if (view.state === "completed") {
          const r = view.result;
          write(
            options.json,
            view,
            `${view.id} completed: ${r?.outcome ?? "?"} ${r?.articleId ?? ""} (revision ${r?.revision ?? "-"})`,
          );
        } else if (view.state === "failed") {
          write(options.json, view, `${view.id} failed: ${view.failedReason ?? "unknown reason"}`);
          process.exitCode = 1;
        } else {
          write(options.json, view, `${view.id} still ${view.state} after ${options.timeout}s`);
          process.exitCode = 1;
        }
      } finally {
        await pipeline.close();
      }
    });
}

function write(json: boolean | undefined, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}
