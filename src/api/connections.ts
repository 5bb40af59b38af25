import type { Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * What the server's connections are doing, so that close() ends them instead of waiting on them.
 *
 * Node 20's server.close() stops the deadline checks (headersTimeout, requestTimeout) and, with
 * closeIdleConnections(), closes only connections that sit between two requests. Three kinds kept
 * it waiting, each until the client chose to leave:
 * - a connection that never sent a byte (a browser opens these ahead of need: minutes);
 * - a request still arriving (a slow client's headers or body: no deadline any more);
 * - a request answered during the close, which still said "keep-alive" (fastify's 72 s).
 */
export interface ConnectionWatch {
  /**
   * Called as the server begins to close: drops every connection that is not being answered; the
   * ones that are get `Connection: close` and end once answered, or are dropped after `graceMs`.
   */
  shutDown(graceMs: number): void;
  /** The response being written on `socket`, if one is. */
  responseOf(socket: Socket): ServerResponse | undefined;
}

export function watchConnections(server: Server): ConnectionWatch {
  const open = new Set<Socket>();
  const answering = new Map<Socket, ServerResponse>();
  let closing = false;

  server.on("connection", (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => {
      open.delete(socket);
      answering.delete(socket);
    });
  });
  server.on("request", (request, response) => {
    const { socket } = request;
    if (closing) closeAfter(response);
    answering.set(socket, response);
    response.once("close", () => {
      if (answering.get(socket) === response) answering.delete(socket);
      // Ends once what was written is flushed; the deadline below covers a client that never reads.
      if (closing) socket.end();
    });
  });

  return {
    shutDown(graceMs) {
      closing = true;
      for (const socket of open) {
        const response = answering.get(socket);
        if (response) closeAfter(response);
        else socket.destroy();
      }
      if (open.size === 0) return;
      const deadline = setTimeout(() => {
        for (const socket of open) socket.destroy();
      }, graceMs);
      server.once("close", () => clearTimeout(deadline));
    },
    responseOf: (socket) => answering.get(socket),
  };
}

/** Tells the client this connection ends with the response, when the response has not started. */
function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader("connection", "close");
}
