import type { ServerResponse } from "node:http";
import zlib from "node:zlib";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FetchedPage } from "../../src/domain/page.js";
import type { Fetcher, FetchResult } from "../../src/fetchers/fetch-page.js";
import {
  requestPath,
  startHttpServer,
  startRawServer,
  type TestServer,
} from "../support/http-fixture-server.js";
import { compressionBomb, expectFetchError, testFetcher } from "./helpers.js";

const ARTICLE = `<!doctype html><html><head><meta charset="utf-8"><title>Kursk</title></head>
<body><article><h1>Kursk</h1><p>The submarine sank in the Barents Sea — “no survivors”.</p></article></body></html>`;

function page(result: FetchResult): FetchedPage {
  if (result.kind !== "page") throw new Error(`expected a page, got ${result.kind}`);
  return result.page;
}

/** Streams `total` bytes of filler, respecting backpressure, stopping when the client goes away. */
function streamFiller(response: ServerResponse, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, "a");
  let sent = 0;
  const pump = () => {
    while (sent < total && !response.destroyed) {
      sent += chunk.byteLength;
      if (!response.write(chunk)) {
        response.once("drain", pump);
        return;
      }
    }
    if (!response.destroyed) response.end();
  };
  pump();
}

describe("fetchPage against hostile and ordinary servers", () => {
  let server: TestServer;
  let raw: TestServer;
  let fetcher: Fetcher;
  const seen: { path: string; headers: Record<string, string | string[] | undefined> }[] = [];
  const bombs: Record<string, Buffer> = {};

  beforeAll(async () => {
    bombs.gzip = await compressionBomb("gzip", 200);
    bombs.deflate = await compressionBomb("deflate", 200);
    bombs.br = await compressionBomb("br", 200);
    server = await startHttpServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://x");
      seen.push({ path: url.pathname, headers: request.headers });
      const html = (body: string | Buffer, headers: Record<string, string> = {}) => {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8", ...headers });
        response.end(body);
      };
      switch (url.pathname) {
        case "/article":
          return html(ARTICLE, { etag: '"v1"', "last-modified": "Wed, 01 Jan 2025 00:00:00 GMT" });
        case "/etag":
          if (request.headers["if-none-match"] === '"v1"') {
            response.writeHead(304, { etag: '"v1"' });
            return response.end();
          }
          return html(ARTICLE, { etag: '"v1"' });
        case "/lastmod":
          if (request.headers["if-modified-since"] === "Wed, 01 Jan 2025 00:00:00 GMT") {
            response.writeHead(304);
            return response.end();
          }
          return html(ARTICLE, { "last-modified": "Wed, 01 Jan 2025 00:00:00 GMT" });
        case "/slow-body": {
          response.writeHead(200, { "content-type": "text/html" });
          const drip = setInterval(() => response.write("<"), 50);
          response.on("close", () => clearInterval(drip));
          return;
        }
        case "/endless":
          response.writeHead(200, { "content-type": "text/html" });
          return streamFiller(response, Number.POSITIVE_INFINITY);
        case "/huge":
          response.writeHead(200, {
            "content-type": "text/html",
            "content-length": String(50 * 1024 * 1024),
          });
          return streamFiller(response, 50 * 1024 * 1024);
        case "/huge-chunked":
          response.writeHead(200, { "content-type": "text/html" });
          return streamFiller(response, 50 * 1024 * 1024);
        case "/bomb": {
          const kind = url.searchParams.get("kind") ?? "gzip";
          return html(bombs[kind] as Buffer, { "content-encoding": kind });
        }
        case "/compressed": {
          const kind = url.searchParams.get("kind") ?? "gzip";
          const body = Buffer.from(ARTICLE);
          const encoded =
            kind === "gzip"
              ? zlib.gzipSync(body)
              : kind === "deflate"
                ? zlib.deflateSync(body)
                : kind === "deflate-raw"
                  ? zlib.deflateRawSync(body)
                  : zlib.brotliCompressSync(body);
          return html(encoded, { "content-encoding": kind === "deflate-raw" ? "deflate" : kind });
        }
        case "/corrupt-gzip":
          return html(Buffer.from("this is not gzip at all"), { "content-encoding": "gzip" });
        case "/redirect":
          response.writeHead(302, { location: url.searchParams.get("to") ?? "/article" });
          return response.end("moved");
        case "/loop-a":
          response.writeHead(301, { location: "/loop-b" });
          return response.end();
        case "/loop-b":
          response.writeHead(301, { location: "/loop-a#again" });
          return response.end();
        case "/status": {
          const headers: Record<string, string> = {};
          const retryAfter = url.searchParams.get("retry-after");
          if (retryAfter) headers["retry-after"] = retryAfter;
          response.writeHead(Number(url.searchParams.get("code")), headers);
          return response.end("nope");
        }
        case "/pdf":
          response.writeHead(200, { "content-type": "application/pdf" });
          return streamFiller(response, 5 * 1024 * 1024);
        case "/png":
          response.writeHead(200, { "content-type": "image/png" });
          return response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
        case "/untyped-pdf":
          response.writeHead(200, {});
          return response.end("%PDF-1.7 binary");
        case "/untyped-html":
          response.writeHead(200, {});
          return response.end(ARTICLE);
        case "/charset": {
          const name = url.searchParams.get("name") ?? "utf-8";
          return serveCharset(response, name);
        }
        default:
          if (url.pathname.startsWith("/chain/")) {
            const n = Number(url.pathname.slice("/chain/".length));
            const stop = Number(url.searchParams.get("stop"));
            if (n >= stop) return html(ARTICLE);
            response.writeHead(307, { location: `/chain/${n + 1}?stop=${stop}` });
            return response.end();
          }
          response.writeHead(404, { "content-type": "text/plain" });
          response.end("not found");
      }
    });
    raw = await startRawServer((socket, head) => {
      const path = requestPath(head);
      if (path === "/robots.txt") {
        socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
      }
      if (path === "/slow-headers") {
        socket.write("HTTP/1.1 200 OK\r\n");
        const drip = setInterval(() => socket.write("X-Drip: a\r\n"), 50);
        socket.on("close", () => clearInterval(drip));
        return;
      }
      if (path === "/truncated-chunked") {
        socket.end(
          "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n<html><p>hello, \r\n",
        );
        return;
      }
      if (path === "/short-length") {
        socket.end(
          "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html><p>short",
        );
        return;
      }
      if (path === "/reset") {
        socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html><p>");
        socket.write("x".repeat(1000), () => setTimeout(() => socket.resetAndDestroy(), 20));
        return;
      }
      if (path === "/silent") return; // accepts the connection, never answers
      socket.end("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    });
    fetcher = testFetcher();
  });

  afterAll(async () => {
    await fetcher?.close();
    await server?.close();
    await raw?.close();
  });

  function serveCharset(response: ServerResponse, name: string): void {
    const text = {
      "windows-1252": "Café “crème” façade — 5€",
      "iso-8859-1": "Où est la gare? À gauche, garçon.",
      shift_jis: "東京で新しい経済対策が発表された",
      gb18030: "北京宣布新的经济政策",
      "utf-8-bom": "Ünïcödé with a byte-order mark ✓",
    }[name];
    const doc = (head: string) =>
      `<html><head>${head}<title>t</title></head><body><p>${text}</p></body></html>`;
    let body: Buffer;
    let type = "text/html";
    switch (name) {
      case "windows-1252":
      case "iso-8859-1":
      case "gb18030":
        body = iconv.encode(doc(""), name);
        type = `text/html; charset=${name.toUpperCase()}`;
        break;
      case "shift_jis":
        body = iconv.encode(
          doc('<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'),
          name,
        );
        break;
      default:
        body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc(""))]);
    }
    response.writeHead(200, { "content-type": type });
    response.end(body);
  }

  it("fetches an ordinary page with its metadata", async () => {
    const got = page(await fetcher.fetchPage(server.url("/article")));
    expect(got).toMatchObject({
      requestedUrl: server.url("/article"),
      finalUrl: server.url("/article"),
      redirects: [],
      status: 200,
      contentType: "text/html",
      charset: "utf-8",
      etag: '"v1"',
      lastModified: "Wed, 01 Jan 2025 00:00:00 GMT",
      bytes: Buffer.byteLength(ARTICLE),
    });
    expect(got.html).toBe(ARTICLE);
    expect(got.raw.equals(Buffer.from(ARTICLE))).toBe(true);
    expect(Date.parse(got.fetchedAt)).not.toBeNaN();
    const request = seen.find((entry) => entry.path === "/article");
    expect(request?.headers["user-agent"]).toMatch(/^copydesk\/0\.1 .*\+https:\/\/example\.invalid\/bot/);
    expect(request?.headers["accept-encoding"]).toContain("br");
  });

  describe("limits", () => {
    it("stops a slow-drip body at the whole-body deadline and keeps serving others", async () => {
      const slow = fetcher.fetchPage(server.url("/slow-body"));
      const started = performance.now();
      const other = page(await fetcher.fetchPage(server.url("/article")));
      expect(other.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(300);
      await expectFetchError(slow, "FETCH_TIMEOUT_BODY", 1500);
    });

    it("stops slow-drip headers at the headers deadline", async () => {
      await expectFetchError(fetcher.fetchPage(raw.url("/slow-headers")), "FETCH_TIMEOUT_HEADERS", 1500);
    });

    it("times out a server that accepts and never answers", async () => {
      await expectFetchError(fetcher.fetchPage(raw.url("/silent")), "FETCH_TIMEOUT_HEADERS", 1500);
    });

    it("times out a connection that cannot be set up", async () => {
      const slowDns = testFetcher({ allowHosts: ["hang.test"] });
      try {
        const error = await expectFetchError(
          slowDns.fetchPage("http://hang.test/"),
          "FETCH_TIMEOUT_CONNECT",
          1500,
        );
        expect(error.retryable).toBe(true);
      } finally {
        await slowDns.close();
      }
    });

    it("stops an endless body at the size limit", async () => {
      const small = testFetcher({ maxBodyBytes: 1024 * 1024 });
      try {
        const error = await expectFetchError(small.fetchPage(server.url("/endless")), "FETCH_BODY_TOO_LARGE");
        expect(error.action).toBe("skip");
      } finally {
        await small.close();
      }
    });

    it("refuses a 50 MiB body, announced or not", async () => {
      await expectFetchError(fetcher.fetchPage(server.url("/huge")), "FETCH_BODY_TOO_LARGE", 500);
      await expectFetchError(fetcher.fetchPage(server.url("/huge-chunked")), "FETCH_BODY_TOO_LARGE", 3000);
    });

    it.each(["gzip", "deflate", "br"])("stops a %s bomb once it inflates past the limit", async (kind) => {
      const before = process.memoryUsage().rss;
      await expectFetchError(
        fetcher.fetchPage(server.url(`/bomb?kind=${kind}`)),
        "FETCH_BODY_TOO_LARGE",
        3000,
      );
      // 200 MiB of zeros behind it; we hold at most the 10 MiB limit and a chunk.
      expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    });
  });

  describe("decoding", () => {
    it.each(["gzip", "deflate", "deflate-raw", "br"])("decodes %s", async (kind) => {
      const got = page(await fetcher.fetchPage(server.url(`/compressed?kind=${kind}`)));
      expect(got.html).toBe(ARTICLE);
      expect(got.bytes).toBe(Buffer.byteLength(ARTICLE));
    });

    it("reports a corrupt compressed body", async () => {
      await expectFetchError(fetcher.fetchPage(server.url("/corrupt-gzip")), "FETCH_DECODE");
    });

    it.each([
      ["windows-1252", "windows-1252", "Café “crème” façade — 5€"],
      ["iso-8859-1", "windows-1252", "Où est la gare? À gauche, garçon."],
      ["shift_jis", "shift_jis", "東京で新しい経済対策が発表された"],
      ["gb18030", "gb18030", "北京宣布新的经济政策"],
      ["utf-8-bom", "utf-8", "Ünïcödé with a byte-order mark ✓"],
    ])("decodes %s", async (name, charset, text) => {
      const got = page(await fetcher.fetchPage(server.url(`/charset?name=${name}`)));
      expect(got.charset).toBe(charset);
      expect(got.html).toContain(`<p>${text}</p>`);
      expect(got.html.startsWith("<html>")).toBe(true);
    });
  });

  describe("content type", () => {
    it("refuses a PDF or an image as not an article, without reading it", async () => {
      const pdf = await expectFetchError(fetcher.fetchPage(server.url("/pdf")), "FETCH_NOT_HTML", 500);
      expect(pdf.message).toMatch(/not an article.*application\/pdf/);
      await expectFetchError(fetcher.fetchPage(server.url("/png")), "FETCH_NOT_HTML");
    });

    it("sniffs a response without Content-Type", async () => {
      await expectFetchError(fetcher.fetchPage(server.url("/untyped-pdf")), "FETCH_NOT_HTML");
      expect(page(await fetcher.fetchPage(server.url("/untyped-html"))).html).toBe(ARTICLE);
    });
  });

  describe("redirects", () => {
    it("follows up to five redirects and records them", async () => {
      const got = page(await fetcher.fetchPage(server.url("/chain/0?stop=5")));
      expect(got.redirects).toEqual([1, 2, 3, 4, 5].map((n) => server.url(`/chain/${n}?stop=5`)));
      expect(got.finalUrl).toBe(server.url("/chain/5?stop=5"));
    });

    it("refuses a sixth redirect", async () => {
      const error = await expectFetchError(
        fetcher.fetchPage(server.url("/chain/0?stop=6")),
        "FETCH_TOO_MANY_REDIRECTS",
      );
      expect(error.details.redirects).toHaveLength(5);
    });

    it("detects a redirect loop", async () => {
      await expectFetchError(fetcher.fetchPage(server.url("/loop-a")), "FETCH_REDIRECT_LOOP");
    });
  });

  describe("SSRF", () => {
    // site.test is allowlisted and resolves to 127.0.0.1; the redirect targets are not allowlisted.
    const cases: [string, string, "FETCH_BLOCKED_ADDRESS" | "FETCH_BLOCKED_URL"][] = [
      ["127.0.0.1", "http://127.0.0.1:{port}/article", "FETCH_BLOCKED_ADDRESS"],
      ["169.254.169.254", "http://169.254.169.254/latest/meta-data/", "FETCH_BLOCKED_ADDRESS"],
      ["[::1]", "http://[::1]:{port}/article", "FETCH_BLOCKED_ADDRESS"],
      ["[::ffff:127.0.0.1]", "http://[::ffff:127.0.0.1]:{port}/article", "FETCH_BLOCKED_ADDRESS"],
      ["0x7f000001", "http://0x7f000001:{port}/article", "FETCH_BLOCKED_URL"],
      ["2130706433", "http://2130706433:{port}/article", "FETCH_BLOCKED_URL"],
      ["0177.0.0.1", "http://0177.0.0.1:{port}/article", "FETCH_BLOCKED_URL"],
      ["127.1", "http://127.1:{port}/article", "FETCH_BLOCKED_URL"],
      ["a name resolving to 10.0.0.8", "http://internal.test:{port}/article", "FETCH_BLOCKED_ADDRESS"],
      ["a name resolving to 169.254.169.254", "http://metadata.test/", "FETCH_BLOCKED_ADDRESS"],
      ["a name resolving to ::1", "http://loopback6.test:{port}/", "FETCH_BLOCKED_ADDRESS"],
      ["a name resolving partly to 127.0.0.1", "http://mixed.test:{port}/", "FETCH_BLOCKED_ADDRESS"],
      ["file:", "file:///etc/passwd", "FETCH_BLOCKED_URL"],
    ];

    it.each(cases)("refuses a redirect to %s", async (_name, target, code) => {
      const guarded = testFetcher({ allowHosts: ["site.test"] });
      try {
        const to = encodeURIComponent(target.replace("{port}", String(server.port)));
        const error = await expectFetchError(
          guarded.fetchPage(server.urlFor("site.test", `/redirect?to=${to}`)),
          code,
        );
        expect(error.action).toBe("skip");
      } finally {
        await guarded.close();
      }
    });

    it.each(cases)("refuses %s as the first URL", async (_name, target, code) => {
      const guarded = testFetcher({ allowHosts: [] });
      try {
        await expectFetchError(guarded.fetchPage(target.replace("{port}", String(server.port))), code);
      } finally {
        await guarded.close();
      }
    });

    it("refuses credentials in URLs and non-http schemes", async () => {
      await expectFetchError(
        fetcher.fetchPage(server.url("/article").replace("//", "//user:pw@")),
        "FETCH_BLOCKED_URL",
      );
      await expectFetchError(fetcher.fetchPage("ftp://127.0.0.1/file"), "FETCH_BLOCKED_URL");
      await expectFetchError(fetcher.fetchPage("javascript:alert(1)"), "FETCH_BLOCKED_URL");
      await expectFetchError(fetcher.fetchPage("not a url"), "INPUT_BAD_URL");
    });

    it("connects to the address the guard checked (names only our fake DNS knows)", async () => {
      const got = page(await fetcher.fetchPage(server.urlFor("site.test", "/article")));
      expect(got.finalUrl).toBe(server.urlFor("site.test", "/article"));
    });

    it("lets an allowlisted name through a redirect", async () => {
      const to = encodeURIComponent(server.urlFor("other.test", "/article"));
      const got = page(await fetcher.fetchPage(server.urlFor("site.test", `/redirect?to=${to}`)));
      expect(got.redirects).toEqual([server.urlFor("other.test", "/article")]);
    });
  });

  describe("conditional GET", () => {
    it("sends If-None-Match and returns not-modified on 304", async () => {
      const first = page(await fetcher.fetchPage(server.url("/etag")));
      const second = await fetcher.fetchPage(server.url("/etag"), {
        validators: { etag: first.etag, lastModified: first.lastModified },
      });
      expect(second).toMatchObject({
        kind: "not-modified",
        status: 304,
        etag: '"v1"',
        finalUrl: server.url("/etag"),
      });
    });

    it("sends If-Modified-Since and returns not-modified on 304", async () => {
      const first = page(await fetcher.fetchPage(server.url("/lastmod")));
      const second = await fetcher.fetchPage(server.url("/lastmod"), {
        validators: { etag: null, lastModified: first.lastModified },
      });
      expect(second.kind).toBe("not-modified");
      expect(second.kind === "not-modified" && second.lastModified).toBe("Wed, 01 Jan 2025 00:00:00 GMT");
    });

    it("returns the page when validators no longer match", async () => {
      const result = await fetcher.fetchPage(server.url("/etag"), {
        validators: { etag: '"v0"', lastModified: null },
      });
      expect(page(result).etag).toBe('"v1"');
    });
  });

  describe("statuses", () => {
    it.each([400, 401, 403, 404, 410, 451])("treats %i as permanent", async (code) => {
      const error = await expectFetchError(
        fetcher.fetchPage(server.url(`/status?code=${code}`)),
        "FETCH_HTTP_PERMANENT",
      );
      expect(error.details.status).toBe(code);
      expect(error.retryable).toBe(false);
    });

    it.each([500, 502, 504])("treats %i as retryable", async (code) => {
      const error = await expectFetchError(
        fetcher.fetchPage(server.url(`/status?code=${code}`)),
        "FETCH_HTTP_RETRYABLE",
      );
      expect(error.retryable).toBe(true);
    });

    it("reports a closed port as a network error", async () => {
      const closed = await startHttpServer(() => {});
      const url = closed.url("/");
      await closed.close();
      await expectFetchError(fetcher.fetchPage(url), "FETCH_NETWORK");
    });
  });

  describe("broken connections", () => {
    it("reports a truncated chunked response", async () => {
      await expectFetchError(fetcher.fetchPage(raw.url("/truncated-chunked")), "FETCH_TRUNCATED");
    });

    it("reports a body shorter than its Content-Length", async () => {
      await expectFetchError(fetcher.fetchPage(raw.url("/short-length")), "FETCH_TRUNCATED");
    });

    it("reports a connection reset mid-body", async () => {
      const error = await expectFetchError(fetcher.fetchPage(raw.url("/reset")), "FETCH_TRUNCATED");
      expect(error.retryable).toBe(true);
    });
  });

  it("still serves ordinary fetches after all of the above", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => fetcher.fetchPage(server.url("/article")).then(page)),
    );
    expect(results.every((result) => result.html === ARTICLE)).toBe(true);
  });
});
