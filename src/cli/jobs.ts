import type { Job } from "bullmq";
import { pino } from "pino";
import { loadConfig } from "../config.js";
import { jobNotFound, viewOfJob } from "../queue/jobs-client.js";
import { joinRedisUrl, openPipeline, type PipelineProcess } from "../queue/runtime.js";

/** `copydesk jobs failed|retry|remove`: inspect and replay the failed set. */
export const jobsFailedCommand = async (options: { limit: string; json?: boolean }) => {
  await withPipeline(async (pipeline) => {
    const limit = Math.max(1, Number(options.limit) || 50);
    const failed = [
      ...(await pipeline.queues.articles.getFailed(0, limit - 1)),
      ...(await pipeline.queues.sources.getFailed(0, limit - 1)),
    ].slice(0, limit) as Job[];
    const views = await Promise.all(failed.map((job) => viewOfJob(job)));
    if (options.json) {
      process.stdout.write(`${JSON.stringify(views, null, 2)}\n`);
      return;
    }
    if (views.length === 0) process.stdout.write("no failed jobs\n");
    for (const view of views) {
      process.stdout.write(
        `${view.id}\t${view.finishedAt ?? ""}\t${view.url ?? view.name}\t${view.failedReason ?? ""}\n`,
      );
    }
  });
};

export const jobsRetryCommand = async (ids: string[], options: { all?: boolean }) => {
  await withPipeline(async (pipeline) => {
    const targets = await resolveTargets(pipeline, ids, options.all);
    for (const job of targets) await job.retry("failed");
    process.stdout.write(`retried ${targets.length} job(s)\n`);
  });
};

export const jobsRemoveCommand = async (ids: string[], options: { all?: boolean }) => {
  await withPipeline(async (pipeline) => {
    const targets = await resolveTargets(pipeline, ids, options.all);
    for (const job of targets) await job.remove();
    process.stdout.write(`removed ${targets.length} job(s)\n`);
  });
};

async function resolveTargets(
  pipeline: PipelineProcess,
  ids: string[],
  all: boolean | undefined,
): Promise<Job[]> {
  if (all) {
    return [
      ...(await pipeline.queues.articles.getFailed(0, -1)),
      ...(await pipeline.queues.sources.getFailed(0, -1)),
    ] as Job[];
  }
  const found: Job[] = [];
  for (const id of ids) {
    const job = ((await pipeline.queues.articles.getJob(id)) ?? (await pipeline.queues.sources.getJob(id))) as
      | Job
      | undefined;
    if (!job) throw jobNotFound(id);
    found.push(job);
  }
  return found;
}

async function withPipeline(run: (pipeline: PipelineProcess) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const pipeline = openPipeline(config, joinRedisUrl(config), pino({ level: "silent" }));
  try {
    await run(pipeline);
  } finally {
    await pipeline.close();
  }
}
