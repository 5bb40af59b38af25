import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Socket } from "node:net";

/**
 * Local servers for fetcher tests: bound to 127.0.0.1 on a free port, and closed hard (every open
 * socket destroyed), because a hostile handler never finishes its response on its own.
 */
export interface TestServer {
  port: number;
  /** http://127.0.0.1:<port><path> */
  url(path?: string): string;
  /** Same server under another host name (resolved by the test's fake DNS). */
  urlFor(host: string, path?: string): string;
  close(): Promise<void>;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export async function startHttpServer(handler: Handler): Promise<TestServer> {
  const server = createHttpServer((request, response) => {
    try {
      handler(request, response);
    } catch (error) {
      response.destroy(error as Error);
    }
  });
  server.keepAliveTimeout = 1000;
  const sockets = trackSockets(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return describeServer(port, async () => {
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

/** A TCP server that speaks whatever the test writes: for responses an HTTP server will not send. */
export async function startRawServer(
  onConnection: (socket: Socket, request: string) => void,
): Promise<TestServer> {
  const server = createNetServer((socket) => {
    socket.on("error", () => {});
    let head = "";
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      onConnection(socket, head);
    };
    socket.on("data", onData);
  });
  const sockets = trackSockets(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return describeServer(port, async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

function trackSockets(server: {
  on(event: "connection", listener: (socket: Socket) => void): unknown;
}): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return sockets;
}

function describeServer(port: number, close: () => Promise<void>): TestServer {
  return {
    port,
    url: (path = "/") => `http://127.0.0.1:${port}${path}`,
    urlFor: (host, path = "/") => `http://${host}:${port}${path}`,
    close,
  };
}

/** The request path of a raw HTTP request head. */
export function requestPath(head: string): string {
  return /^[A-Z]+ (\S+)/.exec(head)?.[1] ?? "/";
}
