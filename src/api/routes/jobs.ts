import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { CopydeskError } from "../../domain/errors.js";
import { canonicalizeUrl, parseHttpUrl, refuseCredentials } from "../../domain/url.js";
import type { ApiJobs } from "../deps.js";
import {
  errorResponses,
  JOB_STATES,
  JobParamsSchema,
  JobSchema,
  RefetchAcceptedSchema,
  RefetchBodySchema,
} from "../schemas.js";

const KNOWN_STATES: ReadonlySet<string> = new Set(JOB_STATES);

/** Manual re-fetches: the API only enqueues; a worker fetches, extracts and stores. */
export const jobRoutes: FastifyPluginAsyncZod<{
  jobs: ApiJobs | undefined;
  refetchPerMinute: number;
}> = async (app, { jobs, refetchPerMinute }) => {
  function requireJobs(): ApiJobs {
    if (!jobs) {
      throw new CopydeskError(
        "API_NOT_CONFIGURED",
        "re-fetching needs the queue: start the server with REDIS_URL set",
      );
    }
    return jobs;
  }

  app.post(
    "/v1/refetch",
    {
      config: { access: "write", rateLimit: { max: refetchPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ["jobs"],
        summary: "Re-fetch a URL",
        description:
          "Queues the URL ahead of scheduled work and answers at once with a job id; poll `statusUrl`. " +
          "The same URL queued again while its job is pending gives the same job.",
        security: [{ bearer: [] }],
        body: RefetchBodySchema,
        response: { 202: RefetchAcceptedSchema, ...errorResponses(400, 401, 403, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      // Canonical URLs drop credentials, so refuse them first, as the fetcher and the CLI do.
      const url = canonicalizeUrl(refuseCredentials(parseHttpUrl(request.body.url)));
      const { jobId, deduplicated } = await requireJobs().enqueueRefetch(url, { force: request.body.force });
      const statusUrl = `/v1/jobs/${encodeURIComponent(jobId)}`;
      reply.code(202).header("location", statusUrl);
      return { jobId, url, statusUrl, deduplicated };
    },
  );

  app.get(
    "/v1/jobs/:id",
    {
      config: { access: "read" },
      schema: {
        tags: ["jobs"],
        summary: "A job's state and result",
        params: JobParamsSchema,
        response: { 200: JobSchema, ...errorResponses(400, 401, 404, 429, 503) },
      },
    },
    async (request) => {
      const job = await requireJobs().getJob(request.params.id);
      if (!job) throw new CopydeskError("QUEUE_JOB_NOT_FOUND", `no job with id ${request.params.id}`);
      return {
        jobId: request.params.id,
        state: (KNOWN_STATES.has(job.state) ? job.state : "unknown") as (typeof JOB_STATES)[number],
        result: job.result
          ? {
              url: job.result.url,
              outcome: job.result.outcome,
              articleId: job.result.articleId,
              storyId: job.result.storyId,
              revision: job.result.revision,
            }
          : null,
        failedReason: job.failedReason,
      };
    },
  );
};
