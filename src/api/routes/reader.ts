import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { CopydeskError } from "../../domain/errors.js";
import type { ArticleStore } from "../../store/article-store.js";
import { deskStories, revisionChanges } from "../reader/desk.js";
import { ChangeListSchema, DeskListSchema, DeskQuerySchema } from "../reader/desk-schemas.js";
import { READER_CSS, READER_HTML, READER_JS } from "../reader/page.js";
import { ArticleParamsSchema, errorResponses } from "../schemas.js";

/**
 * Publisher images are the only third-party content the page loads; scripts, styles and API calls
 * stay on this origin, and the page cannot be framed.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src https: http: data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The reader page: its static files, and the reads it shows (the desk's story list, a revision's
 * changes), shaped for the page (see desk-schemas.ts) and hidden from the API document.
 */
export const readerRoutes: FastifyPluginAsyncZod<{ store: ArticleStore }> = async (app, { store }) => {
  const files: [string, string, string][] = [
    ["/", "text/html; charset=utf-8", READER_HTML],
    ["/reader.js", "text/javascript; charset=utf-8", READER_JS],
    ["/reader.css", "text/css; charset=utf-8", READER_CSS],
  ];
  for (const [url, type, content] of files) {
    app.get(url, { config: { access: "public" }, schema: { hide: true } }, async (_request, reply) => {
      reply
        .type(type)
        .header("content-security-policy", CONTENT_SECURITY_POLICY)
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer")
        .header("cache-control", "no-cache");
      return content;
    });
  }

  // Reads like any other, so they need a token when reads do.
  app.get(
    "/reader/stories.json",
    {
      config: { access: "read" },
      schema: {
        hide: true,
        querystring: DeskQuerySchema,
        response: { 200: DeskListSchema, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => deskStories(store, request.query),
  );

  app.get(
    "/reader/articles/:id/changes.json",
    {
      config: { access: "read" },
      schema: {
        hide: true,
        params: ArticleParamsSchema,
        response: { 200: ChangeListSchema, ...errorResponses(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const changes = await revisionChanges(store, request.params.id);
      if (!changes) throw new CopydeskError("STORE_NOT_FOUND", `no article with id ${request.params.id}`);
      return changes;
    },
  );
};
