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
export const refetchCommand = async (url: string, options: RefetchOptions) => {
  // Before anything connects: the queue would store the URL without its credentials.
  refuseCredentials(parseHttpUrl(url));
  const config = loadConfig();
  const pipeline = openPipeline(config, joinRedisUrl(config), pino({ level: "silent" }));
  try {
    const queued = await pipeline.jobs.enqueueRefetch(url, { force: options.force ?? false });
    if (!options.wait) {
      write(options.json, queued, `queued ${queued.jobId}${queued.deduplicated ? " (already queued)" : ""}`);
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
};

function write(json: boolean | undefined, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}
