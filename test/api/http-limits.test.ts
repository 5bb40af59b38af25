import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorBodySchema } from "../../src/api/schemas.js";
import { loadConfig } from "../../src/config.js";
import { startTestApi, type TestApi, WRITE_TOKEN } from "./support.js";

/**
 * The limits a hostile client meets, over real sockets: what node's parser and fastify's router
 * refuse before any route runs, bodies over the limit, clients too slow to send their headers.
 * Every wait is on a socket event, never a fixed sleep.
 */
let api: TestApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function listening(env: Record<string, string> = {}): Promise<number> {
  api = await startTestApi(env);
  await api.app.listen({ host: "127.0.0.1", port: 0 });
  return (api.app.server.address() as AddressInfo).port;
}

interface Exchange {
  /** Everything the server sent before it closed the connection. */
  received: string;
  elapsedMs: number;
}

interface Connection {
  socket: Socket;
  /** Resolves once the server has closed the connection. */
  closed: Promise<Exchange>;
}

/** A fresh connection that keeps everything the server sends. */
function openConnection(port: number): Connection {
  const started = Date.now();
  const socket = connect(port, "127.0.0.1");
  let received = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    received += chunk;
  });
  const closed = new Promise<Exchange>((resolve, reject) => {
    // The server may close while we still write (a body it refused): that is an answer, not a failure.
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    socket.on("close", () => resolve({ received, elapsedMs: Date.now() - started }));
  });
  return { socket, closed };
}

/** Writes `request` on a fresh connection and resolves once the server has closed it. */
function exchange(port: number, request: string, drive?: (socket: Socket) => void): Promise<Exchange> {
  const { socket, closed } = openConnection(port);
  socket.write(request);
  drive?.(socket);
  return closed;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The final HTTP response in what was received, past an interim `100 Continue`. */
function finalAnswer(received: string): Answer {
  const text = received.replace(/^HTTP\/1\.1 100 [^\r]*\r\n(?:[^\r]+\r\n)*\r\n/, "");
  const split = text.indexOf("\r\n\r\n");
  const [statusLine = "", ...lines] = text.slice(0, split).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: text.slice(split + 4) };
}

/** Checks that an answer is our error body, and returns it. */
function expectErrorBody(answer: Answer, status: number, code: string, action = "skip") {
  expect(answer.status).toBe(status);
  expect(answer.headers["content-type"]).toMatch(/^application\/json/);
  expect(Buffer.byteLength(answer.body)).toBe(Number(answer.headers["content-length"]));
  const body = ErrorBodySchema.parse(JSON.parse(answer.body));
  expect(body).toMatchObject({ statusCode: status, code, action });
  expect(body.message.length).toBeGreaterThan(0);
  return body;
}

const refetchHead = (extra: string) =>
  `POST /v1/refetch HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${WRITE_TOKEN}\r\n` +
  `Content-Type: application/json\r\n${extra}\r\n`;

describe("errors raised before our routes run", () => {
  it("answers the parser's and the router's refusals with our JSON error", async () => {
    const port = await listening();
    const cases: [string, string, number, string][] = [
      [
        "path parameter too long",
        `GET /v1/articles/${"a".repeat(300)} HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n`,
        414,
        "API_URI_TOO_LONG",
      ],
      [
        "headers too large",
        `GET /v1/articles HTTP/1.1\r\nHost: api\r\nX-Padding: ${"a".repeat(20_000)}\r\n\r\n`,
        431,
        "API_HEADERS_TOO_LARGE",
      ],
      [
        "request line too large",
        `GET /v1/articles?q=${"a".repeat(20_000)} HTTP/1.1\r\n\r\n`,
        431,
        "API_HEADERS_TOO_LARGE",
      ],
      ["malformed request line", "NOT HTTP AT ALL\r\n\r\n", 400, "INPUT_UNREADABLE"],
      [
        "undecodable path",
        "GET /v1/articles/%zz HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n",
        400,
        "INPUT_UNREADABLE",
      ],
      [
        "unknown route",
        "GET /v1/nowhere HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n",
        404,
        "API_NOT_FOUND",
      ],
      [
        "wrong method",
        "DELETE /v1/articles HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n",
        404,
        "API_NOT_FOUND",
      ],
    ];
    for (const [name, request, status, code] of cases) {
      const { received } = await exchange(port, request);
      const answer = finalAnswer(received);
      expect(answer.status, name).toBe(status);
      expectErrorBody(answer, status, code);
      expect(answer.headers["x-content-type-options"], name).toBe("nosniff");
    }
  });
});

describe("request bodies over 16 KiB", () => {
  it("answers 413 on the Content-Length alone, without waiting for the body", async () => {
    const port = await listening();
    // Only the headers are sent: the answer can only come from the announced length.
    const { received } = await exchange(port, refetchHead("Content-Length: 5242880\r\n"));
    const answer = finalAnswer(received);
    expectErrorBody(answer, 413, "API_BODY_TOO_LARGE");
    expect(answer.headers.connection).toBe("close");

    // On any route, and before the token check.
    const read = await exchange(
      port,
      "GET /v1/articles HTTP/1.1\r\nHost: api\r\nContent-Length: 5242880\r\n\r\n",
    );
    expectErrorBody(finalAnswer(read.received), 413, "API_BODY_TOO_LARGE");
  });

  it("never invites an oversized body with 100 Continue, and still invites small ones", async () => {
    const port = await listening();
    const big = await exchange(port, refetchHead("Expect: 100-continue\r\nContent-Length: 5242880\r\n"));
    expect(big.received).not.toMatch(/^HTTP\/1\.1 100/);
    expectErrorBody(finalAnswer(big.received), 413, "API_BODY_TOO_LARGE");

    const payload = JSON.stringify({ url: "https://example.com/expect" });
    const small = await exchange(
      port,
      refetchHead(
        `Expect: 100-continue\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n`,
      ),
      (socket) => {
        socket.on("data", (chunk: string) => {
          if (chunk.startsWith("HTTP/1.1 100")) socket.write(payload);
        });
      },
    );
    expect(small.received).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
    expect(finalAnswer(small.received).status).toBe(202);
  });

  it("answers 413 to a chunked body once it passes the limit", async () => {
    const port = await listening();
    const chunk = "a".repeat(8 * 1024);
    const frames = `${(8 * 1024).toString(16)}\r\n${chunk}\r\n`.repeat(3);
    // 24 KiB of chunks and no final chunk: the body never ends, so only the limit can answer.
    const { received } = await exchange(port, refetchHead("Transfer-Encoding: chunked\r\n") + frames);
    const answer = finalAnswer(received);
    expectErrorBody(answer, 413, "API_BODY_TOO_LARGE");
    expect(answer.headers.connection).toBe("close");
  });
});

describe("slow clients", () => {
  it("reads the request timeout from config", () => {
    expect(loadConfig({}).apiRequestTimeoutMs).toBe(30_000);
    expect(loadConfig({ COPYDESK_API_REQUEST_TIMEOUT_MS: "1500" }).apiRequestTimeoutMs).toBe(1500);
    expect(() => loadConfig({ COPYDESK_API_REQUEST_TIMEOUT_MS: "0" })).toThrow(
      /COPYDESK_API_REQUEST_TIMEOUT_MS/,
    );
  });

  it("answers 408 and disconnects clients that trickle their headers past the timeout", async () => {
    const port = await listening({ COPYDESK_API_REQUEST_TIMEOUT_MS: "1000" });
    expect(api?.app.server.headersTimeout).toBe(1000);
    expect(api?.app.server.requestTimeout).toBe(1000);

    // One header byte every 100 ms keeps each connection busy, never finished. Node's own deadline
    // check runs every 30 s, so without our interval these would outlive the test's limit.
    const trickle = (socket: Socket) => {
      const timer = setInterval(() => socket.write("x"), 100);
      socket.on("close", () => clearInterval(timer));
    };
    const clients = Array.from({ length: 20 }, () =>
      exchange(port, "GET /v1/articles HTTP/1.1\r\nHost: api\r\nX-Slow: ", trickle),
    );
    for (const { received, elapsedMs } of await Promise.all(clients)) {
      expect(elapsedMs).toBeGreaterThanOrEqual(900);
      const body = expectErrorBody(finalAnswer(received), 408, "API_REQUEST_TIMEOUT", "retry");
      expect(body.message).toMatch(/within 1 s/);
    }
  }, 25_000);
});

/** A fresh connection, once the server has accepted it. */
async function accepted(port: number): Promise<Connection> {
  const connection = openConnection(port);
  await once(connection.socket, "connect");
  return connection;
}

/** One keep-alive GET on `socket`, resolved with the status once the whole response is in. */
function keepAliveGet(socket: Socket, path: string): Promise<number> {
  return new Promise((resolve) => {
    let received = "";
    const onData = (chunk: string) => {
      received += chunk;
      const split = received.indexOf("\r\n\r\n");
      if (split < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(received.slice(0, split))?.[1] ?? 0);
      if (Buffer.byteLength(received.slice(split + 4)) < length) return;
      socket.off("data", onData);
      resolve(Number(received.split(" ")[1]));
    };
    socket.on("data", onData);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: api\r\nConnection: keep-alive\r\n\r\n`);
  });
}

/** Resolves once the server has received the head of a request (its route may still wait for a body). */
function requestArrived(): Promise<void> {
  return new Promise((resolve) => api?.app.server.once("request", () => resolve()));
}

describe("closing the server", () => {
  // Every test here leaves the request timeout at its default (30 s), past the test's own limit,
  // unless it is what the test is about: close() must end connections, not wait them out.
  it("ends connections that sent nothing, half a request, or sit between requests", async () => {
    const port = await listening();
    const silent = await accepted(port);
    const halfSent = await accepted(port);
    halfSent.socket.write("GET /healthz HTTP/1.1\r\nHost: api\r\n");
    const used = await accepted(port);
    expect(await keepAliveGet(used.socket, "/healthz")).toBe(200);

    await api?.close();
    api = undefined;
    const [silentEnd, halfSentEnd] = await Promise.all([silent.closed, halfSent.closed, used.closed]);
    expect([silentEnd.received, halfSentEnd.received]).toEqual(["", ""]);
  }, 20_000);

  it("answers a request being received, with Connection: close, then ends its connection", async () => {
    const port = await listening();
    const body = JSON.stringify({ url: "https://example-news.com/closing" });
    const arrived = requestArrived();
    let sendRest = () => {};
    const answered = exchange(
      port,
      refetchHead(`Content-Length: ${body.length}\r\n`) + body.slice(0, 5),
      (socket) => {
        sendRest = () => socket.write(body.slice(5));
      },
    );
    await arrived;
    const closed = api?.close();
    api = undefined;
    sendRest();
    const answer = finalAnswer((await answered).received);
    expect(answer.status).toBe(202);
    expect(answer.headers.connection).toBe("close");
    await closed;
  }, 20_000);

  it("drops a request still arriving once the request timeout has passed", async () => {
    const port = await listening({ COPYDESK_API_REQUEST_TIMEOUT_MS: "1000" });
    const arrived = requestArrived();
    const stalled = exchange(port, `${refetchHead("Content-Length: 50\r\n")}{`);
    await arrived;
    const started = Date.now();
    await api?.close();
    api = undefined;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await stalled).received).toBe("");
  }, 20_000);
});
