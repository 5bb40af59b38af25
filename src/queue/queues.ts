import { Queue, type RedisOptions } from "bullmq";
import type { ArticleJobData, ArticleJobResult, SourcePollJobData, SourcePollResult } from "./job-schemas.js";
import { ARTICLE_QUEUE, DEFAULT_QUEUE_PREFIX, SOURCE_QUEUE } from "./names.js";

export type ArticleQueue = Queue<ArticleJobData, ArticleJobResult, string>;
export type SourceQueue = Queue<SourcePollJobData, SourcePollResult, string>;

export interface QueueSetOptions {
  connection: RedisOptions;
  prefix?: string;
}

/** The two queues of the pipeline, opened together and closed together. */
export interface QueueSet {
  articles: ArticleQueue;
  sources: SourceQueue;
  prefix: string;
  connection: RedisOptions;
  /** Every queue, e.g. for Bull Board. */
  all(): Queue[];
  close(): Promise<void>;
}

/** Completed jobs are kept a day (the dedupe window reads them); failed ones a week, for `jobs failed`. */
export const KEEP_COMPLETED = { age: 24 * 3600, count: 50_000 };
export const KEEP_FAILED = { age: 7 * 24 * 3600, count: 50_000 };

export function openQueues(options: QueueSetOptions): QueueSet {
  const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
  const common = { connection: options.connection, prefix };
  const articles: ArticleQueue = new Queue(ARTICLE_QUEUE, {
    ...common,
    defaultJobOptions: { removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED },
  });
  const sources: SourceQueue = new Queue(SOURCE_QUEUE, {
    ...common,
    defaultJobOptions: { removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } },
  });
  return {
    articles,
    sources,
    prefix,
    connection: options.connection,
    all: () => [articles as Queue, sources as Queue],
    close: async () => {
      await Promise.allSettled([articles.close(), sources.close()]);
    },
  };
}
