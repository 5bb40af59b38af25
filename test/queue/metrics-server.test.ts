import { createServer } from "node:net";
import { pino } from "pino";
import { Counter, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { isCopydeskError } from "../../src/domain/errors.js";
import { startMetricsServer, workerMetricsRegistry } from "../../src/queue/metrics-server.js";

const logger = pino({ level: "silent" });

describe("metrics server", () => {
  it("serves its registry at /metrics on the port it bound, and nothing else", async () => {
    const registry = new Registry();
    const counter = new Counter({ name: "test_things_total", help: "Things.", registers: [registry] });
    const server = await startMetricsServer({ host: "127.0.0.1", port: 0, logger, registry });
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
      counter.inc(3);
      const scrape = await fetch(server.url);
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get("content-type")).toBe(registry.contentType);
      expect(await scrape.text()).toMatch(/^test_things_total 3$/m);
      counter.inc();
      expect(await (await fetch(`${server.url}?ts=1`)).text()).toMatch(/^test_things_total 4$/m);

      const head = await fetch(server.url, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
      expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
      const post = await fetch(server.url, { method: "POST" });
      expect(post.status).toBe(405);
      expect(post.headers.get("allow")).toBe("GET, HEAD");
    } finally {
      await server.close();
    }
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it("closes while a scraper keeps its connection alive", async () => {
    const server = await startMetricsServer({ host: "127.0.0.1", port: 0, logger, registry: new Registry() });
    await (await fetch(server.url, { headers: { connection: "keep-alive" } })).text();
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it("refuses a port in use with CONFIG_INVALID, naming the setting", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const address = taken.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const failure = await startMetricsServer({ host: "127.0.0.1", port, logger }).catch((error) => error);
      expect(isCopydeskError(failure)).toBe(true);
      expect(failure.code).toBe("CONFIG_INVALID");
      expect(failure.message).toContain(`127.0.0.1:${port}`);
      expect(failure.message).toContain("COPYDESK_METRICS_PORT");
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it("gives a worker the pipeline's counters and the process's own metrics", async () => {
    const text = await workerMetricsRegistry().metrics();
    expect(text).toMatch(/^# TYPE copydesk_fetch_outcomes_total counter$/m);
    expect(text).toMatch(/^copydesk_extraction_duration_seconds_count \d+$/m);
    expect(text).toMatch(/^# TYPE copydesk_articles_upserted_total counter$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
  });
});
