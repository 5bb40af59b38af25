/**
 * Fetcher throughput: N distinct article pages from a local server, fetched at a fixed concurrency
 * through the real fetchPage (robots.txt, host policy, SSRF guard with 127.0.0.1 allowlisted, host
 * delay 0, body limits, gzip and charset decoding).
 *
 *   npm run bench:fetch [-- --pages 2000 --concurrency 32 --json]
 *
 * The server runs in a child process so its CPU and memory are not counted as the fetcher's.
 * Latency is the wall time of one fetchPage call as the caller sees it (queueing for a host slot
 * included).
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { loadConfig } from "../src/config.js";
import { createFetcher, fetcherSettingsFromConfig } from "../src/fetchers/fetch-page.js";

const WORDS =
  "council budget transport river harbour minister election court report market energy school hospital storm rail port trade union climate housing police festival museum bridge".split(
    " ",
  );

function articleHtml(id: number): string {
  const pick = (n: number) => WORDS[(id * 31 + n * 17) % WORDS.length];
  const paragraphs = Array.from(
    { length: 40 },
    (_, p) =>
      `<p>${Array.from({ length: 60 }, (_, w) => pick(p * 60 + w)).join(" ")} — paragraph ${p} of story ${id}.</p>`,
  ).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Story ${id}: the ${pick(1)} and the ${pick(2)}</title>
<meta property="og:title" content="Story ${id}"><link rel="canonical" href="/news/${id}">
</head><body><header><nav><a href="/">Home</a></nav></header>
<article><h1>Story ${id}: the ${pick(1)} and the ${pick(2)}</h1><p class="byline">By A. Reporter</p>
${paragraphs}</article><footer>© Example News</footer></body></html>`;
}

/** Child process: serve the pages, gzipped when asked, and report the port. */
function serve(pages: number): void {
  const bodies = Array.from({ length: pages }, (_, id) => {
    const plain = Buffer.from(articleHtml(id));
    return { plain, gzip: gzipSync(plain) };
  });
  const server = createServer((request, response) => {
    const path = request.url ?? "/";
    if (path === "/robots.txt") {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("User-agent: *\nAllow: /\n");
      return;
    }
    const id = Number(/^\/news\/(\d+)$/.exec(path)?.[1] ?? Number.NaN);
    const body = bodies[id];
    if (!body) {
      response.writeHead(404);
      response.end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
    response.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      etag: `"${id}"`,
      ...(gzip ? { "content-encoding": "gzip" } : {}),
    });
    response.end(gzip ? body.gzip : body.plain);
  });
  server.keepAliveTimeout = 5000;
  server.listen(0, "127.0.0.1", () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  process.on("disconnect", () => server.close(() => process.exit(0)));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function measure(pages: number, concurrency: number): Promise<Record<string, unknown>> {
  const child = fork(process.argv[1] as string, ["--serve", "--pages", String(pages)], {
    execArgv: process.execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  const fetcher = createFetcher(
    fetcherSettingsFromConfig(loadConfig(), {
      allowHosts: ["127.0.0.1"],
      hostDelayMs: 0,
      hostConcurrency: concurrency,
    }),
  );
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let bytes = 0;
  let next = 0;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let id = next++; id < pages; id = next++) {
        const t0 = performance.now();
        try {
          const result = await fetcher.fetchPage(`http://127.0.0.1:${port}/news/${id}`);
          if (result.kind === "page") bytes += result.page.bytes;
          latencies.push(performance.now() - t0);
        } catch (error) {
          const code = (error as { code?: string }).code ?? "unknown";
          errors[code] = (errors[code] ?? 0) + 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await fetcher.close();
  child.disconnect();
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    pages,
    concurrency,
    ok: latencies.length,
    errors,
    seconds: round(seconds),
    pagesPerSecond: round(latencies.length / seconds),
    decodedMiB: round(bytes / 1024 / 1024),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? 0),
    },
    peakRssMiB: round(peakRss / 1024 / 1024),
    machine: {
      nproc: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? "unknown",
      node: process.version,
    },
    date: new Date().toISOString().slice(0, 10),
  };
}

const { values } = parseArgs({
  options: {
    pages: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "32" },
    json: { type: "boolean", default: false },
    serve: { type: "boolean", default: false },
  },
});
const pages = Number(values.pages);

if (values.serve) {
  serve(pages);
} else {
  const report = await measure(pages, Number(values.concurrency));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const latency = report.latencyMs as Record<string, number>;
    const machine = report.machine as Record<string, unknown>;
    const lines = [
      `fetched ${report.ok}/${report.pages} pages at concurrency ${report.concurrency} in ${report.seconds} s`,
      `  throughput  ${report.pagesPerSecond} pages/s (${report.decodedMiB} MiB decoded)`,
      `  latency     p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms, max ${latency.max} ms`,
      `  peak RSS    ${report.peakRssMiB} MiB (fetcher process)`,
      `  errors      ${JSON.stringify(report.errors)}`,
      `  machine     ${machine.nproc} CPUs (${machine.cpu}), node ${machine.node}, ${report.date}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
}
