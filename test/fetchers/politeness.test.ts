import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HostPolicy, InMemoryHostPolicy } from "../../src/fetchers/host-policy.js";
import { RobotsCache, type RobotsLoadResult } from "../../src/fetchers/robots.js";
import { startHttpServer, type TestServer } from "../support/http-fixture-server.js";
import { expectFetchError, testFetcher } from "./helpers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("InMemoryHostPolicy", () => {
  it("spaces the starts of requests to one host by the minimum delay", async () => {
    const policy = new InMemoryHostPolicy({ concurrency: 4 });
    const starts: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      [1, 2, 3].map(async () => {
        const release = await policy.acquire("a.test", 100);
        starts.push(performance.now() - t0);
        release();
      }),
    );
    expect(starts[0]).toBeLessThan(50);
    expect(starts[1]).toBeGreaterThanOrEqual(95);
    expect(starts[2]).toBeGreaterThanOrEqual(195);
  });

  it("keeps at most `concurrency` requests in flight per host, and hosts independent", async () => {
    const policy = new InMemoryHostPolicy({ concurrency: 2 });
    let active = 0;
    let peak = 0;
    const work = async (host: string) => {
      const release = await policy.acquire(host, 0);
      active++;
      peak = Math.max(peak, active);
      await sleep(20);
      active--;
      release();
    };
    await Promise.all(Array.from({ length: 8 }, () => work("a.test")));
    expect(peak).toBe(2);
    const t0 = performance.now();
    const slow = policy.acquire("b.test", 0).then(async (release) => {
      await sleep(200);
      release();
    });
    const other = await policy.acquire("c.test", 0);
    other();
    expect(performance.now() - t0).toBeLessThan(50);
    await slow;
  });

  it("holds a host back after a backoff", async () => {
    const policy = new InMemoryHostPolicy({ concurrency: 1 });
    policy.backoff("a.test", 150);
    const t0 = performance.now();
    (await policy.acquire("a.test", 0))();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("lets a waiter give up through its signal", async () => {
    const policy = new InMemoryHostPolicy({ concurrency: 1 });
    const held = await policy.acquire("a.test", 0);
    const controller = new AbortController();
    const waiting = policy.acquire("a.test", 0, controller.signal);
    controller.abort(new Error("gave up"));
    await expect(waiting).rejects.toThrow("gave up");
    held();
    (await policy.acquire("a.test", 0))();
  });
});

describe("RobotsCache", () => {
  const ok = (text: string): RobotsLoadResult => ({ kind: "found", text });

  it("applies the group for our token, with its Crawl-delay", async () => {
    const cache = new RobotsCache({
      userAgentToken: "copydesk",
      load: async () =>
        ok("User-agent: *\nDisallow: /\n\nUser-agent: copydesk\nDisallow: /private/\nCrawl-delay: 2\n"),
    });
    expect(await cache.check(new URL("https://a.test/news/1"))).toEqual({
      allowed: true,
      crawlDelayMs: 2000,
    });
    expect((await cache.check(new URL("https://a.test/private/x"))).allowed).toBe(false);
  });

  it("loads once per origin, concurrently, until the TTL passes", async () => {
    let loads = 0;
    const cache = new RobotsCache({
      userAgentToken: "copydesk",
      ttlMs: 50,
      load: async () => {
        loads++;
        await sleep(10);
        return ok("User-agent: *\nAllow: /\n");
      },
    });
    await Promise.all([1, 2, 3].map(() => cache.check(new URL("https://a.test/x"))));
    expect(loads).toBe(1);
    await cache.check(new URL("http://a.test/x"));
    expect(loads).toBe(2);
    await sleep(60);
    await cache.check(new URL("https://a.test/x"));
    expect(loads).toBe(3);
  });

  it("allows everything on 4xx and closes the origin on 5xx (RFC 9309)", async () => {
    const missing = new RobotsCache({
      userAgentToken: "copydesk",
      load: async () => ({ kind: "missing", status: 404 }),
    });
    expect((await missing.check(new URL("https://a.test/anything"))).allowed).toBe(true);
    const down = new RobotsCache({
      userAgentToken: "copydesk",
      load: async () => ({ kind: "unavailable", reason: "HTTP 503" }),
    });
    const error = await expectFetchError(down.check(new URL("https://a.test/x")), "FETCH_ROBOTS_UNAVAILABLE");
    expect(error.retryAfterMs).toBeGreaterThan(0);
  });
});

describe("politeness in fetchPage", () => {
  let server: TestServer;
  let robots: { status: number; body: string; location?: string } = { status: 200, body: "" };
  let hits: { path: string; at: number }[] = [];

  beforeEach(async () => {
    hits = [];
    server = await startHttpServer((request, response) => {
      const path = request.url ?? "/";
      hits.push({ path, at: performance.now() });
      if (path === "/robots.txt") {
        const location = robots.location ? { location: robots.location } : {};
        response.writeHead(robots.status, { "content-type": "text/plain", ...location });
        response.end(robots.body);
        return;
      }
      if (path === "/rules/robots.txt") {
        response.writeHead(200, { "content-type": "text/plain" });
        response.end("User-agent: *\nDisallow: /private\n");
        return;
      }
      if (path.startsWith("/limited")) {
        const retryAfter = new URL(path, "http://x").searchParams.get("after");
        response.writeHead(429, retryAfter ? { "retry-after": retryAfter } : {});
        response.end();
        return;
      }
      if (path.startsWith("/down")) {
        response.writeHead(503, { "retry-after": "2" });
        response.end();
        return;
      }
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<html><p>ok</p></html>");
    });
  });

  afterEach(async () => {
    await server.close();
  });

  it("refuses a path robots.txt disallows for our user agent", async () => {
    robots = { status: 200, body: "User-agent: copydesk\nDisallow: /private\n" };
    const fetcher = testFetcher();
    try {
      await expectFetchError(fetcher.fetchPage(server.url("/private/story")), "FETCH_ROBOTS_DISALLOWED");
      expect((await fetcher.fetchPage(server.url("/public/story"))).kind).toBe("page");
      expect(hits.filter((hit) => hit.path === "/robots.txt")).toHaveLength(1);
      expect(hits.some((hit) => hit.path.startsWith("/private"))).toBe(false);
    } finally {
      await fetcher.close();
    }
  });

  it("honours Crawl-delay between requests to the host", async () => {
    robots = { status: 200, body: "User-agent: *\nCrawl-delay: 0.2\n" };
    const fetcher = testFetcher();
    try {
      await Promise.all([1, 2, 3].map((n) => fetcher.fetchPage(server.url(`/story/${n}`))));
      const starts = hits.filter((hit) => hit.path.startsWith("/story")).map((hit) => hit.at);
      expect(starts).toHaveLength(3);
      // The fetcher spaces the requests it sends by 200 ms; the server sees them arrive, and on a
      // loaded machine one arrival can lag its send by tens of milliseconds (187 ms was seen). Without
      // the delay the three arrive within a few milliseconds of each other.
      expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(120);
      expect((starts[2] as number) - (starts[1] as number)).toBeGreaterThanOrEqual(120);
      expect((starts[2] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(340);
    } finally {
      await fetcher.close();
    }
  });

  it("allows everything when robots.txt is missing and closes the host when it fails", async () => {
    robots = { status: 404, body: "" };
    const fetcher = testFetcher();
    try {
      expect((await fetcher.fetchPage(server.url("/story"))).kind).toBe("page");
    } finally {
      await fetcher.close();
    }
    robots = { status: 503, body: "" };
    const second = testFetcher();
    try {
      await expectFetchError(second.fetchPage(server.url("/story")), "FETCH_ROBOTS_UNAVAILABLE");
      expect(hits.filter((hit) => hit.path === "/story")).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("follows robots.txt redirects, and takes a redirect loop as an unavailable file", async () => {
    robots = { status: 301, body: "", location: "/rules/robots.txt" };
    const fetcher = testFetcher();
    try {
      await expectFetchError(fetcher.fetchPage(server.url("/private/story")), "FETCH_ROBOTS_DISALLOWED");
    } finally {
      await fetcher.close();
    }
    robots = { status: 302, body: "", location: "/robots.txt#again" };
    const looping = testFetcher();
    try {
      await expectFetchError(looping.fetchPage(server.url("/story")), "FETCH_ROBOTS_UNAVAILABLE");
      expect(hits.filter((hit) => hit.path === "/story")).toHaveLength(0);
    } finally {
      await looping.close();
    }
  });

  it("turns 429 + Retry-After into a rate-limit error and a host backoff", async () => {
    robots = { status: 404, body: "" };
    const backoffs: [string, number][] = [];
    const inner = new InMemoryHostPolicy({ concurrency: 4 });
    const policy: HostPolicy = {
      acquire: (host, delay, signal) => inner.acquire(host, delay, signal),
      backoff: (host, ms) => backoffs.push([host, ms]),
    };
    const fetcher = testFetcher({ hostPolicy: policy, maxRetryAfterMs: 60_000 });
    try {
      const seconds = await expectFetchError(
        fetcher.fetchPage(server.url("/limited?after=7")),
        "FETCH_RATE_LIMITED",
      );
      expect(seconds.retryAfterMs).toBe(7000);
      expect(seconds.retryable).toBe(true);
      const date = new Date(Date.now() + 30_000).toUTCString();
      const dated = await expectFetchError(
        fetcher.fetchPage(server.url(`/limited?after=${encodeURIComponent(date)}`)),
        "FETCH_RATE_LIMITED",
      );
      expect(dated.retryAfterMs).toBeGreaterThan(28_000);
      expect(dated.retryAfterMs).toBeLessThanOrEqual(30_000);
      const capped = await expectFetchError(
        fetcher.fetchPage(server.url("/limited?after=999999")),
        "FETCH_RATE_LIMITED",
      );
      expect(capped.retryAfterMs).toBe(60_000);
      const unsaid = await expectFetchError(fetcher.fetchPage(server.url("/limited")), "FETCH_RATE_LIMITED");
      expect(unsaid.retryAfterMs).toBe(60_000);
      const down = await expectFetchError(fetcher.fetchPage(server.url("/down")), "FETCH_HTTP_RETRYABLE");
      expect(down.retryAfterMs).toBe(2000);
      expect(backoffs.map(([, ms]) => ms)).toEqual([7000, dated.retryAfterMs, 60_000, 60_000, 2000]);
      expect(backoffs.every(([host]) => host === `127.0.0.1:${server.port}`)).toBe(true);
    } finally {
      await fetcher.close();
    }
  });
});
