import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { CopydeskError } from "../../domain/errors.js";
import type { ArticleStore, ListArticlesQuery } from "../../store/article-store.js";
import {
  ArticlePageSchema,
  ArticleParamsSchema,
  errorResponses,
  type ListArticlesParams,
  ListArticlesQuerySchema,
  LookupQuerySchema,
  LookupResultSchema,
  RevisionListSchema,
  StoredArticleSchema,
  StoryParamsSchema,
  StorySchema,
} from "../schemas.js";

/** Read routes: what downstream consumers poll. */
export const articleRoutes: FastifyPluginAsyncZod<{ store: ArticleStore }> = async (app, { store }) => {
  app.get(
    "/v1/articles",
    {
      config: { access: "read" },
      schema: {
        tags: ["articles"],
        summary: "List articles changed since a point",
        description:
          "Oldest change first, by (updatedAt, articleId). Poll with the last `nextCursor` to see what changed: " +
          "a revised article shows up again. Filters combine with AND. With `q`, best match first by " +
          "(relevance, articleId): page on with `nextCursor` and the same `q`.",
        querystring: ListArticlesQuerySchema,
        response: { 200: ArticlePageSchema, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => store.listArticles(toStoreQuery(request.query)),
  );

  app.get(
    "/v1/articles/:id",
    {
      config: { access: "read" },
      schema: {
        tags: ["articles"],
        summary: "Get an article",
        params: ArticleParamsSchema,
        response: { 200: StoredArticleSchema, ...errorResponses(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const article = await store.getArticle(request.params.id);
      if (!article) throw notFound("article", request.params.id);
      return article;
    },
  );

  app.get(
    "/v1/articles/:id/revisions",
    {
      config: { access: "read" },
      schema: {
        tags: ["articles"],
        summary: "Every revision of an article, oldest first",
        params: ArticleParamsSchema,
        response: { 200: RevisionListSchema, ...errorResponses(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const items = await store.listRevisions(request.params.id);
      // Every stored article has revision 1, so an empty list means an unknown id.
      if (items.length === 0) throw notFound("article", request.params.id);
      return { articleId: request.params.id, items };
    },
  );

  app.get(
    "/v1/stories/:id",
    {
      config: { access: "read" },
      schema: {
        tags: ["stories"],
        summary: "A story with all its sources",
        description: "A story merged into another resolves to the surviving one (compare `storyId`).",
        params: StoryParamsSchema,
        response: { 200: StorySchema, ...errorResponses(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const story = await store.getStory(request.params.id);
      if (!story) throw notFound("story", request.params.id);
      return story;
    },
  );

  app.get(
    "/v1/lookup",
    {
      config: { access: "read" },
      schema: {
        tags: ["stories"],
        summary: "Look up by any URL of a story",
        description:
          "Canonical, requested, final or syndicated URL. For a copy we only know by name, the story's origin.",
        querystring: LookupQuerySchema,
        response: { 200: LookupResultSchema, ...errorResponses(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const article = await store.getArticleByUrl(request.query.url);
      if (!article) {
        throw new CopydeskError("STORE_NOT_FOUND", "no stored article or story has this URL");
      }
      const story = await store.getStory(article.storyId);
      if (!story) throw notFound("story", article.storyId);
      return { article, story };
    },
  );
};

export function toStoreQuery(params: ListArticlesParams): ListArticlesQuery {
  return {
    limit: params.limit,
    cursor: params.cursor ?? null,
    ...(params.since !== undefined && { since: params.since }),
    ...(params.site !== undefined && { site: params.site.toLowerCase().replace(/^www\d?\./, "") }),
    ...(params.story !== undefined && { storyId: params.story }),
    ...(params.language !== undefined && { language: params.language }),
    ...(params.paywalled !== undefined && { paywalled: params.paywalled }),
    ...(params.q !== undefined && { q: params.q }),
  };
}

function notFound(kind: "article" | "story", id: string): CopydeskError {
  return new CopydeskError("STORE_NOT_FOUND", `no ${kind} with id ${id}`);
}
