import type { ArticleStore, ListArticlesQuery, StoredArticle } from "../store/article-store.js";

/**
 * The newest `limit` articles matching the filters, newest change first: what a feed shows.
 *
 * The store pages oldest change first (what "changed since" needs), so this searches for a `since`
 * whose page holds at least `limit` articles but is not full, and takes that page's tail. Each probe
 * is one bounded, indexed query; the window doubles outwards until it holds enough, then halves
 * between the last too-small and too-large windows. Exact whenever such a window exists, which it
 * does unless more than a probe page of articles changed within one millisecond.
 */
export type ArticleFilters = Omit<ListArticlesQuery, "since" | "cursor" | "limit" | "order">;

/** Larger probes converge in fewer steps but read more rows each; a few times `limit` balances it. */
const MAX_PROBE_PAGE = 1000;
const FIRST_WINDOW_MS = 24 * 3600 * 1000;
const MAX_PROBES = 40;

export async function newestArticles(
  store: ArticleStore,
  filters: ArticleFilters,
  limit: number,
  now: Date = new Date(),
): Promise<StoredArticle[]> {
  const probePage = Math.min(MAX_PROBE_PAGE, Math.max(4 * limit, 200));
  const end = now.getTime();
  let tooFew: { window: number; items: StoredArticle[] } | null = null;
  let tooManyWindow: number | null = null;
  let window = FIRST_WINDOW_MS;
  for (let probe = 0; probe < MAX_PROBES; probe++) {
    // Past the epoch the window covers everything: ask without `since`.
    const unbounded = window >= end;
    const page = await store.listArticles({
      ...filters,
      // The probes page in change order, searched or not (a search would otherwise rank).
      order: "updated",
      ...(unbounded ? {} : { since: new Date(end - window).toISOString() }),
      limit: probePage,
    });
    const complete = page.items.length < probePage;
    if (complete && (page.items.length >= limit || unbounded)) return tail(page.items, limit);
    if (complete) {
      tooFew = { window, items: page.items };
    } else {
      tooManyWindow = window;
    }
    if (tooManyWindow === null) {
      window *= 2;
    } else {
      const lower = tooFew?.window ?? 0;
      const next = Math.floor((lower + tooManyWindow) / 2);
      if (next <= lower || next >= tooManyWindow) break;
      window = next;
    }
  }
  // Only reached when a millisecond holds more than a probe page: the newest we could bound.
  return tail(tooFew?.items ?? [], limit);
}

function tail(items: StoredArticle[], limit: number): StoredArticle[] {
  return items.slice(-limit).reverse();
}
