import type { FastifyInstance } from "fastify";

/**
 * CORS for the origins in COPYDESK_API_CORS_ORIGINS ("*" for any), and nothing at all when that is
 * empty: off by default, so a browser page elsewhere cannot read the API with a visitor's network
 * position. Tokens travel in the Authorization header, never cookies, so credentials stay off.
 */
export function installCors(app: FastifyInstance, origins: string[]): void {
  if (origins.length === 0) return;
  const anyOrigin = origins.includes("*");
  const allowed = new Set(origins.map((origin) => origin.replace(/\/+$/, "").toLowerCase()));

  app.addHook("onRequest", async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !(anyOrigin || allowed.has(origin.toLowerCase()))) return;
    reply.header("access-control-allow-origin", anyOrigin ? "*" : origin);
    reply.header("vary", "Origin");
    reply.header(
      "access-control-expose-headers",
      "ETag, Location, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining",
    );
  });

  app.options(
    "/*",
    { config: { access: "public", rateLimit: false }, schema: { hide: true } },
    async (request, reply) => {
      const origin = request.headers.origin;
      if (origin && (anyOrigin || allowed.has(origin.toLowerCase()))) {
        reply
          .header("access-control-allow-methods", "GET, POST")
          .header("access-control-allow-headers", "Authorization, Content-Type, If-None-Match")
          .header("access-control-max-age", "600");
      }
      return reply.code(204).send();
    },
  );
}
