import { afterEach, describe, expect, it } from "vitest";
import { ErrorBodySchema } from "../../src/api/schemas.js";
import { buildProgram } from "../../src/cli/main.js";
import { fetchOutcomes } from "../../src/metrics.js";
import { bearer, startTestApi, type TestApi, WRITE_TOKEN } from "./support.js";

let api: TestApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function waitForJob(app: TestApi["app"], statusUrl: string) {
  for (let i = 0; i < 100; i++) {
    const job = (await app.inject(statusUrl)).json();
    if (job.state === "completed" || job.state === "failed") return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("job did not finish");
}

describe("POST /v1/refetch and GET /v1/jobs/:id", () => {
  it("queues the canonical URL, answers 202 with the job id, then reports the result", async () => {
    api = await startTestApi();
    const response = await api.app.inject({
      method: "POST",
      url: "/v1/refetch",
      headers: bearer(WRITE_TOKEN),
      payload: { url: "https://Example.com/story?utm_source=x&b=2&a=1#comments", force: true },
    });
    expect(response.statusCode).toBe(202);
    const accepted = response.json();
    expect(accepted).toMatchObject({ url: "https://example.com/story?a=1&b=2", deduplicated: false });
    expect(response.headers.location).toBe(accepted.statusUrl);

    const job = await waitForJob(api.app, accepted.statusUrl);
    expect(job).toMatchObject({ jobId: accepted.jobId, state: "completed", failedReason: null });
    expect(job.result).toMatchObject({ outcome: "created", revision: 1 });
    const article = await api.app.inject(`/v1/articles/${job.result.articleId}`);
    expect(article.json().record.url).toBe("https://example.com/story?a=1&b=2");
  });

  it("reports a failed job with its reason", async () => {
    api = await startTestApi();
    const accepted = (
      await api.app.inject({
        method: "POST",
        url: "/v1/refetch",
        headers: bearer(WRITE_TOKEN),
        payload: { url: "https://example.com/fail" },
      })
    ).json();
    const job = await waitForJob(api.app, accepted.statusUrl);
    expect(job).toMatchObject({
      state: "failed",
      result: null,
      failedReason: "FETCH_HTTP_PERMANENT: 404 Not Found",
    });
  });

  it("refuses user:pass@ URLs with the code the CLI refuses them with", async () => {
    api = await startTestApi();
    for (const url of ["https://user:pass@example.com/a", "https://user@example.com/a"]) {
      const response = await api.app.inject({
        method: "POST",
        url: "/v1/refetch",
        headers: bearer(WRITE_TOKEN),
        payload: { url },
      });
      expect(response.statusCode, url).toBe(400);
      expect(ErrorBodySchema.parse(response.json())).toMatchObject({
        code: "FETCH_BLOCKED_URL",
        action: "skip",
        message: "refusing a URL with credentials in it",
      });
      expect(response.body).not.toContain("pass");
    }
    expect(api.jobs.jobs.size).toBe(0);

    // `copydesk refetch` refuses before it opens the queue, with the same check.
    await expect(
      buildProgram().parseAsync(["refetch", "https://user:pass@example.com/a"], { from: "user" }),
    ).rejects.toMatchObject({ code: "FETCH_BLOCKED_URL" });
  });

  it("404s an unknown job and answers 503 without a queue", async () => {
    api = await startTestApi();
    const unknown = await api.app.inject("/v1/jobs/job-404");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe("QUEUE_JOB_NOT_FOUND");
    await api.close();

    api = await startTestApi({}, { jobs: false });
    const response = await api.app.inject({
      method: "POST",
      url: "/v1/refetch",
      headers: bearer(WRITE_TOKEN),
      payload: { url: "https://example.com/a" },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: "API_NOT_CONFIGURED", action: "stop" });
  });
});

describe("health, readiness and metrics", () => {
  it("is live, and ready only while the store and Redis answer", async () => {
    api = await startTestApi();
    expect((await api.app.inject("/healthz")).json()).toEqual({ status: "ok" });
    const ready = await api.app.inject("/readyz");
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: "ready",
      checks: { store: { status: "ok" }, redis: { status: "ok" } },
    });

    api.jobs.down = true;
    const unready = await api.app.inject("/readyz");
    expect(unready.statusCode).toBe(503);
    expect(unready.json().checks.redis).toEqual({
      status: "failed",
      detail: "connect ECONNREFUSED 127.0.0.1:6379",
    });
    api.jobs.down = false;

    api.store.listArticles = async () => {
      throw new Error("database is locked");
    };
    expect((await api.app.inject("/readyz")).json().checks.store.status).toBe("failed");
  });

  it("skips the Redis check when no queue is configured", async () => {
    api = await startTestApi({}, { jobs: false });
    expect((await api.app.inject("/readyz")).json().checks.redis.status).toBe("skipped");
  });

  it("exposes jobs by state, fetch outcomes, extraction latency and articles stored", async () => {
    api = await startTestApi();
    const accepted = (
      await api.app.inject({
        method: "POST",
        url: "/v1/refetch",
        headers: bearer(WRITE_TOKEN),
        payload: { url: "https://example.com/metrics" },
      })
    ).json();
    await waitForJob(api.app, accepted.statusUrl);
    fetchOutcomes.inc({ code: "FETCH_TIMEOUT_BODY" });

    const response = await api.app.inject("/metrics");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toMatch(/^copydesk_articles_stored 1$/m);
    expect(text).toMatch(/^copydesk_jobs\{queue="articles",state="completed"\} 1$/m);
    expect(text).toMatch(/^copydesk_fetch_outcomes_total\{code="FETCH_TIMEOUT_BODY"\} \d+$/m);
    expect(text).toContain("# TYPE copydesk_extraction_duration_seconds histogram");
    expect(text).toMatch(
      /copydesk_http_request_duration_seconds_count\{method="POST",route="\/v1\/refetch",status="202"\} 1/,
    );
  });
});
