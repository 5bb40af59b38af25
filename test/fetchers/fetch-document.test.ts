import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentFetcher, type DocumentFetcher } from "../../src/fetchers/discovery/fetch-document.js";
import type { Fetcher } from "../../src/fetchers/fetch-page.js";
import { type HostPolicy, InMemoryHostPolicy } from "../../src/fetchers/host-policy.js";
import { startHttpServer, type TestServer } from "../support/http-fixture-server.js";
import { expectFetchError, testFetcher, testSettings } from "./helpers.js";

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>A</title><link>https://n.example/a</link></item></channel></rss>`;

/**
 * Discovery documents go through the same request step as article pages: these are the behaviours
 * its own copy of the hop loop had lost (no back-off on a bare 429, no loop check, bodies destroyed).
 */
describe("fetchDocument", () => {
  let server: TestServer;
  let fetcher: Fetcher;
  let documents: DocumentFetcher;
  const backoffs: [string, number][] = [];

  beforeAll(async () => {
    server = await startHttpServer((request, response) => {
      const path = request.url ?? "/";
      switch (path) {
        case "/robots.txt":
          response.writeHead(404);
          return response.end();
        case "/feed.xml":
          response.writeHead(200, { "content-type": "application/rss+xml" });
          return response.end(FEED);
        case "/limited":
          response.writeHead(429);
          return response.end();
        case "/loop-a":
          response.writeHead(301, { location: "/loop-b" });
          return response.end();
        case "/loop-b":
          response.writeHead(302, { location: "/loop-a#again" });
          return response.end();
        default:
          response.writeHead(404);
          response.end();
      }
    });
    const inner = new InMemoryHostPolicy({ concurrency: 4 });
    const policy: HostPolicy = {
      acquire: (host, delay, signal) => inner.acquire(host, delay, signal),
      backoff: (host, ms) => backoffs.push([host, ms]),
    };
    const settings = testSettings({ hostPolicy: policy });
    fetcher = testFetcher(settings);
    documents = createDocumentFetcher(settings, fetcher.politeness);
  });

  afterAll(async () => {
    await documents?.close();
    await fetcher?.close();
    await server?.close();
  });

  it("reads a feed", async () => {
    const document = await documents.fetchDocument(server.url("/feed.xml"));
    expect(document).toMatchObject({
      url: server.url("/feed.xml"),
      finalUrl: server.url("/feed.xml"),
      contentType: "application/rss+xml",
      text: FEED,
    });
  });

  it("gives a 429 without Retry-After the article fetcher's rate-limit error and host back-off", async () => {
    backoffs.length = 0;
    const page = await expectFetchError(fetcher.fetchPage(server.url("/limited")), "FETCH_RATE_LIMITED");
    const document = await expectFetchError(
      documents.fetchDocument(server.url("/limited")),
      "FETCH_RATE_LIMITED",
    );
    expect(document.retryAfterMs).toBe(page.retryAfterMs);
    expect(document.retryAfterMs).toBe(testSettings().defaultRateLimitMs);
    expect(backoffs).toEqual([
      [`127.0.0.1:${server.port}`, testSettings().defaultRateLimitMs],
      [`127.0.0.1:${server.port}`, testSettings().defaultRateLimitMs],
    ]);
  });

  it("refuses a redirect loop with the article fetcher's error", async () => {
    await expectFetchError(fetcher.fetchPage(server.url("/loop-a")), "FETCH_REDIRECT_LOOP");
    const error = await expectFetchError(
      documents.fetchDocument(server.url("/loop-a")),
      "FETCH_REDIRECT_LOOP",
    );
    expect(error.details.redirects).toEqual([server.url("/loop-b"), server.url("/loop-a#again")]);
  });

  it("drains a redirect's body, so its connection goes back to the pool", async () => {
    // The shared test server asks for a 1 s keep-alive, under which undici reuses no connection;
    // this one keeps them long enough.
    const sockets = new Set<Socket>();
    const keepAlive = createServer((request, response) => {
      sockets.add(request.socket);
      if (request.url === "/moved") {
        // The body arrives after the headers: a client that destroys it mid-way loses the connection.
        response.writeHead(301, { location: "/feed.xml", "content-type": "text/html" });
        response.write("<p>moved to ");
        setTimeout(() => response.end("/feed.xml</p>"), 30);
        return;
      }
      response.writeHead(200, { "content-type": "application/rss+xml" });
      response.end(FEED);
    });
    keepAlive.keepAliveTimeout = 10_000;
    await new Promise<void>((resolve) => keepAlive.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(keepAlive.address() as AddressInfo).port}`;
    // Robots off, so only the documents' own hops reach this server.
    const unrobotic = testFetcher({ respectRobots: false });
    const fresh = createDocumentFetcher(testSettings(), unrobotic.politeness);
    try {
      for (let i = 0; i < 5; i++) {
        expect((await fresh.fetchDocument(`${origin}/moved`)).finalUrl).toBe(`${origin}/feed.xml`);
      }
    } finally {
      await fresh.close();
      await unrobotic.close();
      keepAlive.closeAllConnections();
      await new Promise<void>((resolve) => keepAlive.close(() => resolve()));
    }
    // Ten requests; a destroyed redirect body would have cost a connection each time.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });
});
