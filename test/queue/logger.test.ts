import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { createPipelineLogger } from "../../src/queue/logger.js";

describe("pipeline logs", () => {
  it("say which machine, process and role wrote each line; job lines add job, URL and its host", () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createPipelineLogger({ logLevel: "info" }, "worker", {
      write: (line: string) => lines.push(JSON.parse(line)),
    });
    logger.info({ concurrency: 4 }, "workers started");
    logger.child({ jobId: "1", url: "https://news.example/a", host: "news.example" }).info("article stored");
    const context = { process: "worker", pid: process.pid, hostname: hostname() };
    expect(lines[0]).toMatchObject({ ...context, msg: "workers started" });
    expect(lines[1]).toMatchObject({ ...context, jobId: "1", host: "news.example", msg: "article stored" });
  });
});
