import type { ArticleStore, ListArticlesQuery, StoredArticle } from "../store/article-store.js";

/** The filters a feed or the desk applies to the newest articles. */
export type ArticleFilters = Omit<ListArticlesQuery, "since" | "cursor" | "limit" | "order">;

/**
 * The newest `limit` articles matching the filters, newest change first: what a feed shows. One
 * store query in descending change order, searched or not (a search would otherwise rank).
 */
export async function newestArticles(
  store: ArticleStore,
  filters: ArticleFilters,
  limit: number,
): Promise<StoredArticle[]> {
  return (await store.listArticles({ ...filters, order: "newest", limit })).items;
}
