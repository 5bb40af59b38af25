import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { errorHandler as bullBoardErrorHandler } from "@bull-board/api/dist/handlers/error.js";
import { FastifyAdapter } from "@bull-board/fastify";
import type { Queue } from "bullmq";
import type { FastifyPluginAsync } from "fastify";
import { isCopydeskError } from "../../domain/errors.js";
import { errorBody } from "../error-handler.js";

export const DASHBOARD_PATH = "/dashboard";

/**
 * Bull Board over the pipeline's queues, for operators. Every route of it needs a write token: the
 * board can retry, promote and delete jobs. Browsers send the token as the password of Basic
 * credentials (the 401 asks for them), so the dashboard opens without a client of its own.
 */
export const dashboardRoutes: FastifyPluginAsync<{ queues: Queue[] }> = async (app, { queues }) => {
  app.addHook("onRoute", (route) => {
    route.config = { ...(route.config ?? {}), access: "write" };
  });
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    // @bull-board/fastify pins its own copy of @bull-board/api's types; the classes differ only in
    // private fields, the runtime contract is the same.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]["serverAdapter"],
    options: { uiConfig: { boardTitle: "copydesk" } },
  });
  // Bull Board installs this as the error handler of its routes: our errors (the rate limit's 429)
  // keep their status and body; its own keep the shape its UI reads.
  type BoardError = Parameters<typeof bullBoardErrorHandler>[0];
  type BoardResponse = ReturnType<typeof bullBoardErrorHandler>;
  serverAdapter.setErrorHandler((error: Error) => {
    if (!isCopydeskError(error)) return bullBoardErrorHandler(error as BoardError);
    const body = errorBody(error);
    return { status: body.statusCode as BoardResponse["status"], body };
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
};
