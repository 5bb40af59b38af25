import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { ArticleStore } from "../../store/article-store.js";
import type { ApiJobs } from "../deps.js";
import { type ApiMetrics, withTimeout } from "../metrics.js";
import { errorResponses, HealthSchema, ReadinessSchema, textResponse } from "../schemas.js";

const CHECK_TIMEOUT_MS = 2000;

type Check = { status: "ok" | "failed" | "skipped"; detail?: string };

/** Probes and metrics: liveness says the process answers, readiness that its dependencies do. */
export const opsRoutes: FastifyPluginAsyncZod<{
  store: ArticleStore;
  jobs: ApiJobs | undefined;
  metrics: ApiMetrics;
}> = async (app, { store, jobs, metrics }) => {
  app.get(
    "/healthz",
    {
      config: { access: "public", rateLimit: false },
      schema: { tags: ["operations"], summary: "Liveness", response: { 200: HealthSchema } },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      config: { access: "public", rateLimit: false },
      schema: {
        tags: ["operations"],
        summary: "Readiness: the store and Redis answer",
        response: { 200: ReadinessSchema, 503: ReadinessSchema },
      },
    },
    async (_request, reply) => {
      const [storeCheck, redisCheck] = await Promise.all([
        // The cheapest query that still reaches the database: one row of an indexed listing.
        check(() => store.listArticles({ limit: 1 })),
        jobs
          ? check(() => jobs.counts())
          : Promise.resolve<Check>({ status: "skipped", detail: "no queue configured" }),
      ]);
      const ready = storeCheck.status !== "failed" && redisCheck.status !== "failed";
      reply.code(ready ? 200 : 503);
      return {
        status: ready ? ("ready" as const) : ("unready" as const),
        checks: { store: storeCheck, redis: redisCheck },
      };
    },
  );

  app.get(
    "/metrics",
    {
      config: { access: "read", rateLimit: false },
      schema: {
        tags: ["operations"],
        summary: "Prometheus metrics",
        response: {
          200: textResponse("text/plain", "Prometheus text exposition format"),
          ...errorResponses(401),
        },
      },
    },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
};

async function check(probe: () => Promise<unknown>): Promise<Check> {
  try {
    await withTimeout(probe(), CHECK_TIMEOUT_MS);
    return { status: "ok" };
  } catch (error) {
    // The reason helps an operator; it names a dependency, never a secret or a stack.
    const message = error instanceof Error ? error.message : String(error);
    return { status: "failed", detail: message.slice(0, 200) };
  }
}
