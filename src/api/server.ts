import fastifyRateLimit from "@fastify/rate-limit";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { OpenAPIV3_1 } from "openapi-types";
import { EXTRACTOR_VERSION } from "../domain/article.js";
import { CopydeskError } from "../domain/errors.js";
import { installAuth, principalOf, tokenBook } from "./auth.js";
import { installBodyLimit } from "./body-limit.js";
import { clientErrorAnswers } from "./client-errors.js";
import { watchConnections } from "./connections.js";
import { installCors } from "./cors.js";
import type { ApiDeps } from "./deps.js";
import { answerFrameworkError, installErrorHandling } from "./error-handler.js";
import { documentConditionalReads, installConditionalReads } from "./etag.js";
import { BODY_LIMIT_BYTES, httpServerOptions, MAX_PARAM_LENGTH } from "./limits.js";
import { createApiMetrics } from "./metrics.js";
import { baseUrlResolver } from "./public-url.js";
import { articleRoutes } from "./routes/articles.js";
import { DASHBOARD_PATH, dashboardRoutes } from "./routes/dashboard.js";
import { feedRoutes } from "./routes/feeds.js";
import { jobRoutes } from "./routes/jobs.js";
import { opsRoutes } from "./routes/ops.js";
import { readerRoutes } from "./routes/reader.js";

/** Re-fetches cost a publisher request each, so they get a tighter budget than reads. */
const REFETCH_SHARE = 10;

/**
 * The HTTP API as a fastify instance, not yet listening: `serve` listens on it, tests inject into it.
 * Everything stateful comes in through `deps`; the server owns nothing it has to close but itself.
 */
export async function buildServer(deps: ApiDeps): Promise<FastifyInstance> {
  const { store, jobs, config } = deps;
  // Called only once the server takes connections, by then watched (below).
  const answerClientError = clientErrorAnswers(config.apiRequestTimeoutMs, (socket) =>
    connections.responseOf(socket),
  );
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout: config.apiRequestTimeoutMs,
    http: httpServerOptions(config),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // Errors raised by the router and by node's parser get our error body too.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  }).withTypeProvider<ZodTypeProvider>();
  const connections = watchConnections(app.server);
  // Before the server stops listening. A request being answered gets as long to finish as one gets
  // to arrive.
  app.addHook("preClose", async () => connections.shutDown(config.apiRequestTimeoutMs));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Bodies are JSON only: anything else is a 415, not a string that fails validation later.
  app.removeContentTypeParser("text/plain");
  installErrorHandling(app);
  installBodyLimit(app);

  const book = tokenBook(config);
  // Rate limits run first (onRequest) and key on the token, else the client address; the token
  // check comes after (preValidation), so guessing tokens is rate limited too.
  await app.register(fastifyRateLimit, {
    global: true,
    max: config.apiRateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const principal = principalOf(request, book);
      return principal.tokenId ? `token:${principal.tokenId}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new CopydeskError("API_RATE_LIMITED", `rate limit of ${context.max} requests per minute exceeded`, {
        retryAfterMs: context.ttl,
      }),
  });
  installAuth(app, book);
  installCors(app, config.apiCorsOrigins);

  const metrics = createApiMetrics({ store, jobs });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? "unmatched",
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
  app.addHook("onSend", async (_request, reply) => {
    reply.header("x-content-type-options", "nosniff");
  });
  installConditionalReads(app);

  // The API's description holds no data: it stays readable when reads need a token, since a
  // browser opening /docs cannot send one.
  app.addHook("onRoute", (route) => {
    if (route.url === "/docs" || route.url.startsWith("/docs/")) {
      route.config = { ...(route.config ?? {}), access: "public" };
    }
  });
  const zodComponents = createJsonSchemaTransformObject({});
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "copydesk API",
        version: EXTRACTOR_VERSION,
        description:
          "Normalised news articles, their revisions and stories, feeds and manual re-fetches. " +
          "Errors always have the `Error` body. Article records follow docs/article.schema.json (`ArticleRecord`).",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "An API token from config." },
        },
      },
      tags: [
        { name: "articles" },
        { name: "stories" },
        { name: "feeds" },
        { name: "jobs" },
        { name: "operations" },
      ],
    },
    transform: createJsonSchemaTransform({ skipList: ["/docs", "/docs/*"] }),
    // The document is OpenAPI 3.1 (above); the conditional reads apply to routes of every group,
    // so they are described here, from the rule the hook answers by, not in each route's schema.
    transformObject: (input) =>
      documentConditionalReads(zodComponents(input) as Partial<OpenAPIV3_1.Document>),
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });

  const baseUrlOf = baseUrlResolver(config.publicUrl);
  await app.register(articleRoutes, { store });
  await app.register(feedRoutes, { store, baseUrlOf });
  await app.register(jobRoutes, {
    jobs,
    refetchPerMinute: Math.max(1, Math.floor(config.apiRateLimitPerMinute / REFETCH_SHARE)),
  });
  await app.register(opsRoutes, { store, jobs, metrics });
  await app.register(readerRoutes, { store });
  if (deps.queues && deps.queues.length > 0) {
    await app.register(dashboardRoutes, { queues: deps.queues });
  }
  app.log.debug({ dashboard: deps.queues ? DASHBOARD_PATH : null }, "api routes registered");
  return app;
}
