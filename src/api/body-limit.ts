import type { IncomingHttpHeaders } from "node:http";
import type { FastifyInstance } from "fastify";
import { CopydeskError } from "../domain/errors.js";
import { sendError } from "./error-handler.js";
import { BODY_LIMIT_BYTES } from "./limits.js";

/** Whether a request announces a body over the limit: decided from Content-Length, nothing read. */
export function declaresOversizedBody(headers: IncomingHttpHeaders): boolean {
  const declared = Number(headers["content-length"]);
  return Number.isFinite(declared) && declared > BODY_LIMIT_BYTES;
}

/**
 * Bodies over BODY_LIMIT_BYTES get a 413 before a byte of them is read. Announced ones are refused
 * on their Content-Length, ahead of the rate limit and the token check, on every route; chunked
 * ones are cut by fastify's parser once they pass the limit. Either way the connection closes:
 * the rest of the body is never read.
 */
export function installBodyLimit(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    if (!declaresOversizedBody(request.headers)) return;
    reply.header("connection", "close");
    return sendError(
      reply,
      new CopydeskError("API_BODY_TOO_LARGE", `request body is over ${BODY_LIMIT_BYTES / 1024} KiB`),
    );
  });

  // Left alone, node answers `Expect: 100-continue` itself, inviting the body before any check: curl
  // then sends its 5 MB into a connection that is closing and reports a broken pipe, not our 413.
  // Invite only bodies within the limit; the others get the 413 instead and never send theirs.
  app.server.on("checkContinue", (request, response) => {
    if (!declaresOversizedBody(request.headers)) response.writeContinue();
    app.server.emit("request", request, response);
  });
}
