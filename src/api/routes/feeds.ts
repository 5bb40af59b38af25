import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { ArticleStore } from "../../store/article-store.js";
import { type FeedContext, renderAtomFeed, renderJsonFeed } from "../feeds.js";
import { type BaseUrlOf, FEED_TITLE } from "../public-url.js";
import { newestArticles } from "../recent.js";
import {
  errorResponses,
  type FeedParams,
  FeedQuerySchema,
  JsonFeedSchema,
  textResponse,
} from "../schemas.js";

/** The syndication output: the newest changes as JSON Feed 1.1 and Atom, filterable like the list. */
export const feedRoutes: FastifyPluginAsyncZod<{ store: ArticleStore; baseUrlOf: BaseUrlOf }> = async (
  app,
  { store, baseUrlOf },
) => {
  async function load(query: FeedParams) {
    return newestArticles(
      store,
      {
        ...(query.site !== undefined && { site: query.site.toLowerCase().replace(/^www\d?\./, "") }),
        ...(query.story !== undefined && { storyId: query.story }),
        ...(query.language !== undefined && { language: query.language }),
        ...(query.paywalled !== undefined && { paywalled: query.paywalled }),
        // A feed is newest change first, searched or not: newestArticles keeps the change order.
        ...(query.q !== undefined && { q: query.q }),
      },
      query.limit,
    );
  }

  function contextOf(base: string, url: string): FeedContext {
    return {
      title: FEED_TITLE,
      homeUrl: `${base}/`,
      feedUrl: `${base}${url}`,
      apiBase: base,
      now: new Date(),
    };
  }

  app.get(
    "/v1/feed.json",
    {
      config: { access: "read" },
      schema: {
        tags: ["feeds"],
        summary: "JSON Feed 1.1 of the newest changes",
        description: "Items carry a `_copydesk` extension with the article, story and revision ids.",
        querystring: FeedQuerySchema,
        response: {
          200: JsonFeedSchema,
          ...errorResponses(400, 401, 429),
        },
      },
    },
    async (request, reply) => {
      const articles = await load(request.query);
      reply.type("application/feed+json; charset=utf-8");
      return renderJsonFeed(articles, contextOf(baseUrlOf(request), request.url));
    },
  );

  app.get(
    "/v1/feed.xml",
    {
      config: { access: "read" },
      schema: {
        tags: ["feeds"],
        summary: "Atom feed of the newest changes",
        querystring: FeedQuerySchema,
        response: {
          200: textResponse("application/atom+xml", "Atom 1.0 (RFC 4287)"),
          ...errorResponses(400, 401, 429),
        },
      },
    },
    async (request, reply) => {
      const articles = await load(request.query);
      reply.type("application/atom+xml; charset=utf-8");
      return renderAtomFeed(articles, contextOf(baseUrlOf(request), request.url));
    },
  );
};
