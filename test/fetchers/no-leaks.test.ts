import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { startHttpServer, startRawServer } from "../support/http-fixture-server.js";
import { compressionBomb, testFetcher } from "./helpers.js";

/** Handles that would keep the process alive: sockets, servers, timers. */
function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (/TCP|Timeout|Immediate/.test(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

describe("after hostile fetches", () => {
  it("leaves no socket and no timer behind once the fetcher is closed", async () => {
    const before = liveHandles();
    const bomb = await compressionBomb("gzip", 50);
    const server = await startHttpServer((request, response) => {
      const path = request.url ?? "/";
      if (path === "/slow") {
        response.writeHead(200, { "content-type": "text/html" });
        const drip = setInterval(() => response.write("."), 30);
        response.on("close", () => clearInterval(drip));
      } else if (path === "/bomb") {
        response.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" });
        response.end(bomb);
      } else if (path === "/limited") {
        response.writeHead(429, { "retry-after": "1" });
        response.end();
      } else if (path === "/loop") {
        response.writeHead(302, { location: "/loop#x" });
        response.end();
      } else {
        response.writeHead(200, { "content-type": "text/html" });
        response.end("<p>ok</p>");
      }
    });
    const raw = await startRawServer((socket, head) => {
      if (head.startsWith("GET /robots.txt")) {
        socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
      } else if (head.startsWith("GET /reset")) {
        socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<p>", () =>
          socket.resetAndDestroy(),
        );
      } else if (head.startsWith("GET /silent")) {
        // never answers
      } else {
        socket.end(
          "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n<p>\r\n",
        );
      }
    });
    const fetcher = testFetcher({ maxBodyBytes: 1024 * 1024, bodyTimeoutMs: 300, headersTimeoutMs: 300 });
    const outcomes = await Promise.allSettled([
      fetcher.fetchPage(server.url("/slow")),
      fetcher.fetchPage(server.url("/bomb")),
      fetcher.fetchPage(server.url("/limited")),
      fetcher.fetchPage(server.url("/loop")),
      fetcher.fetchPage(raw.url("/reset")),
      fetcher.fetchPage(raw.url("/silent")),
      fetcher.fetchPage(raw.url("/truncated")),
      fetcher.fetchPage(server.url("/ok")),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([...Array(7).fill("rejected"), "fulfilled"]);
    await fetcher.close();
    await server.close();
    await raw.close();
    await sleep(50);
    const after = liveHandles();
    for (const [kind, count] of Object.entries(after)) {
      expect(count, `${kind} left open`).toBeLessThanOrEqual(before[kind] ?? 0);
    }
  });
});
