/**
 * Queue names and priorities, shared by every producer and worker process. BullMQ processes lower
 * priority numbers first; every article job carries one so a manual re-fetch overtakes the
 * scheduled backlog (jobs without a priority would sit in a separate, first-served list).
 */
export const ARTICLE_QUEUE = "articles";
export const SOURCE_QUEUE = "sources";

/** Redis key prefix of every queue key, so copydesk can share a Redis with other applications. */
export const DEFAULT_QUEUE_PREFIX = "copydesk";

export const ARTICLE_PRIORITY = {
  manual: 1,
  discovered: 10,
} as const;
