import type { Redis } from "ioredis";
import type { ArticleRecord } from "../../../src/domain/article.js";
import type { PageSnapshot } from "../../../src/domain/page.js";
import { articleIdFor } from "../../../src/domain/url.js";
import type { ArticleStore, UpsertResult } from "../../../src/store/article-store.js";

/**
 * The three store methods the article job uses, kept in Redis so worker processes of one test
 * (the SIGKILL test runs one as a child) share it. Idempotent like the real store: the same
 * contentHash makes no new revision. `upserts` counts calls, `articles` counts rows.
 */
export type QueueTestStore = Pick<ArticleStore, "getLatestSnapshot" | "putSnapshot" | "upsertArticle"> & {
  articleCount(): Promise<number>;
  upsertCount(url: string): Promise<number>;
  revisionOf(url: string): Promise<number | null>;
};

export function redisTestStore(redis: Redis, prefix = "teststore"): QueueTestStore {
  return {
    async getLatestSnapshot(url: string): Promise<PageSnapshot | null> {
      const raw = await redis.hget(`${prefix}:snapshots`, url);
      if (!raw) return null;
      const parsed = JSON.parse(raw) as PageSnapshot & { bodyGzip: string };
      return { ...parsed, bodyGzip: Buffer.from(parsed.bodyGzip, "base64") };
    },
    async putSnapshot(snapshot: PageSnapshot): Promise<void> {
      await redis.hset(
        `${prefix}:snapshots`,
        snapshot.url,
        JSON.stringify({ ...snapshot, bodyGzip: snapshot.bodyGzip.toString("base64") }),
      );
    },
    async upsertArticle(record: ArticleRecord): Promise<UpsertResult> {
      await redis.hincrby(`${prefix}:upserts`, record.url, 1);
      const raw = await redis.hget(`${prefix}:articles`, record.url);
      const current = raw ? (JSON.parse(raw) as { contentHash: string; revision: number }) : null;
      const articleId = articleIdFor(record.url);
      if (current && current.contentHash === record.contentHash) {
        return { articleId, storyId: articleId, revision: current.revision, outcome: "unchanged" };
      }
      const revision = (current?.revision ?? 0) + 1;
      await redis.hset(
        `${prefix}:articles`,
        record.url,
        JSON.stringify({ contentHash: record.contentHash, revision }),
      );
      return { articleId, storyId: articleId, revision, outcome: current ? "revised" : "created" };
    },
    articleCount: () => redis.hlen(`${prefix}:articles`),
    async upsertCount(url) {
      return Number((await redis.hget(`${prefix}:upserts`, url)) ?? 0);
    },
    async revisionOf(url) {
      const raw = await redis.hget(`${prefix}:articles`, url);
      return raw ? (JSON.parse(raw) as { revision: number }).revision : null;
    },
  };
}
