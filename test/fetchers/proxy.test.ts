import { createServer, request as httpRequest } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer, type TestServer } from "../support/http-fixture-server.js";
import { expectFetchError, testFetcher } from "./helpers.js";

/** A minimal forward proxy: CONNECT tunnels and absolute-form requests, counting what it carries. */
async function startProxy(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    const upstream = httpRequest(
      request.url ?? "",
      { method: request.method, headers: request.headers },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      },
    );
    upstream.on("error", () => response.destroy());
    request.pipe(upstream);
  });
  server.on("connect", (request, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${request.url}`);
    const [host = "", port = "80"] = (request.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("proxy", () => {
  let origin: TestServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;

  beforeAll(async () => {
    origin = await startHttpServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<html><p>via</p></html>");
    });
    proxy = await startProxy();
  });

  afterAll(async () => {
    await origin.close();
    await proxy.close();
  });

  it("sends requests through HTTP_PROXY", async () => {
    const fetcher = testFetcher({ proxy: { http: proxy.url, https: undefined, noProxy: undefined } });
    try {
      const result = await fetcher.fetchPage(origin.url("/story"));
      expect(result.kind).toBe("page");
      expect(proxy.seen.join("\n")).toContain(`127.0.0.1:${origin.port}`);
    } finally {
      await fetcher.close();
    }
  });

  it("goes direct for hosts in NO_PROXY", async () => {
    proxy.seen.length = 0;
    const fetcher = testFetcher({ proxy: { http: proxy.url, https: undefined, noProxy: "127.0.0.1" } });
    try {
      expect((await fetcher.fetchPage(origin.url("/story"))).kind).toBe("page");
      expect(proxy.seen).toEqual([]);
    } finally {
      await fetcher.close();
    }
  });

  it("still refuses internal targets before the proxy sees them", async () => {
    proxy.seen.length = 0;
    const fetcher = testFetcher({ proxy: { http: proxy.url, https: undefined, noProxy: undefined } });
    try {
      await expectFetchError(
        fetcher.fetchPage(`http://internal.test:${origin.port}/`),
        "FETCH_BLOCKED_ADDRESS",
      );
      expect(proxy.seen).toEqual([]);
    } finally {
      await fetcher.close();
    }
  });
});
