import { type ServerResponse, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { ConnectionError, FastifyInstance } from "fastify";
import { CopydeskError } from "../domain/errors.js";
import { errorBody } from "./error-handler.js";
import { HEADER_LIMIT_BYTES } from "./limits.js";

/**
 * Requests that node's HTTP parser refuses never reach fastify: a request line that is not HTTP,
 * headers over the limit, a request that did not arrive in time. Node reports them as the server's
 * 'clientError' with only the socket, so the answer is written to it by hand, with the same JSON
 * body as every other error, and the connection is closed.
 */
/** Fastify's `clientErrorHandler`, given the response each connection is writing (if any). */
export function clientErrorAnswers(
  requestTimeoutMs: number,
  responseOf: (socket: Socket) => ServerResponse | undefined,
): (this: FastifyInstance, error: ConnectionError, socket: Socket) => void {
  return function answer(error, socket) {
    // A reset connection has no one left to answer.
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    // An answer never lands in the middle of a response.
    const response = responseOf(socket);
    const midResponse = response?.headersSent === true && !response.writableFinished;
    if (!socket.writable || midResponse) {
      socket.destroy();
      return;
    }
    const { error: refusal, status } = refusalOf(error.code, requestTimeoutMs);
    this.log.debug({ err: error, status }, "refused before routing");
    socket.end(rawResponse(errorBody(refusal, { status })), () => socket.destroy());
  };
}

function refusalOf(code: string, requestTimeoutMs: number): { error: CopydeskError; status?: number } {
  switch (code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return {
        error: new CopydeskError(
          "API_REQUEST_TIMEOUT",
          `the request did not arrive within ${requestTimeoutMs / 1000} s`,
        ),
      };
    case "HPE_HEADER_OVERFLOW":
      return {
        error: new CopydeskError(
          "API_HEADERS_TOO_LARGE",
          `the request line and headers are over ${HEADER_LIMIT_BYTES / 1024} KiB`,
        ),
      };
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return {
        error: new CopydeskError("API_BODY_TOO_LARGE", "chunk extensions are too large"),
      };
    default:
      // The parser's codes (HPE_INVALID_METHOD, HPE_INVALID_HEADER_TOKEN…) name what was wrong.
      return {
        error: new CopydeskError("INPUT_UNREADABLE", `the request is not valid HTTP/1.1 (${code})`),
      };
  }
}

function rawResponse(body: ReturnType<typeof errorBody>): string {
  const json = JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${body.statusCode} ${STATUS_CODES[body.statusCode] ?? "Error"}`,
    "content-type: application/json; charset=utf-8",
    `content-length: ${Buffer.byteLength(json)}`,
    "x-content-type-options: nosniff",
    "connection: close",
  ];
  return `${head.join("\r\n")}\r\n\r\n${json}`;
}
