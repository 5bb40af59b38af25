import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { CopydeskError, type ErrorCode, isCopydeskError } from "../domain/errors.js";
import { BODY_LIMIT_BYTES, MAX_PARAM_LENGTH } from "./limits.js";
import type { ErrorBody } from "./schemas.js";

/**
 * One error body for every failure (`ErrorBody`): a stable code, a message written for the caller
 * and what to do next. Stack traces and internal messages go to the log, never into a response.
 */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INPUT_UNREADABLE: 400,
  INPUT_INVALID: 400,
  INPUT_BAD_URL: 400,
  FETCH_BLOCKED_URL: 400,
  STORE_BAD_CURSOR: 400,
  STORE_NOT_FOUND: 404,
  QUEUE_JOB_NOT_FOUND: 404,
  API_NOT_FOUND: 404,
  API_UNAUTHORIZED: 401,
  API_FORBIDDEN: 403,
  API_BODY_TOO_LARGE: 413,
  API_UNSUPPORTED_MEDIA_TYPE: 415,
  API_URI_TOO_LONG: 414,
  API_HEADERS_TOO_LARGE: 431,
  API_REQUEST_TIMEOUT: 408,
  API_RATE_LIMITED: 429,
  API_NOT_CONFIGURED: 503,
  STORE_UNAVAILABLE: 503,
  QUEUE_UNAVAILABLE: 503,
};

export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 500;
}

export interface ErrorExtras {
  issues?: ErrorBody["issues"];
  /**
   * The HTTP status when HTTP itself names the refusal more precisely than the code's own status:
   * a fastify or plugin 4xx that has no code of its own keeps its status.
   */
  status?: number;
}

export function errorBody(error: CopydeskError, extras: ErrorExtras = {}): ErrorBody {
  const body: ErrorBody = {
    statusCode: extras.status ?? statusForCode(error.code),
    code: error.code,
    message: error.message,
    action: error.action,
  };
  if (error.retryAfterMs !== undefined) body.retryAfterMs = error.retryAfterMs;
  if (extras.issues !== undefined) body.issues = extras.issues;
  return body;
}

/** An error as the caller will see it: our error, and the HTTP status when it is not the code's own. */
interface Refusal {
  error: CopydeskError;
  status?: number;
}

/** Fastify's own request errors (URLs, body parsing, limits), as the error the caller should see. */
function fromFastifyError(error: FastifyError): Refusal | null {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        error: new CopydeskError("API_BODY_TOO_LARGE", `request body is over ${BODY_LIMIT_BYTES / 1024} KiB`),
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        error: new CopydeskError("API_UNSUPPORTED_MEDIA_TYPE", "send the request body as application/json"),
      };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { error: new CopydeskError("INPUT_INVALID", "the JSON request body is empty") };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { error: new CopydeskError("INPUT_UNREADABLE", "the request body is not valid JSON") };
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return {
        error: new CopydeskError("INPUT_UNREADABLE", "the Content-Length header does not match the body"),
      };
    case "FST_ERR_MAX_PARAM_LENGTH":
      return {
        error: new CopydeskError(
          "API_URI_TOO_LONG",
          `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`,
        ),
      };
    case "FST_ERR_BAD_URL":
      return { error: new CopydeskError("INPUT_UNREADABLE", "the request path is not a valid URL path") };
    default:
      break;
  }
  // Other 4xx errors raised by fastify or a plugin (malformed JSON lands here as a SyntaxError):
  // the caller sent something we cannot read. Their messages are safe but generic; their status stays.
  if (typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500) {
    return {
      error: new CopydeskError("INPUT_UNREADABLE", "the request could not be read", {
        details: { status: error.statusCode },
      }),
      status: error.statusCode,
    };
  }
  return null;
}

function issuesOf(error: { validation: { instancePath?: string; message?: string }[] }, context: string) {
  return error.validation.map((issue) => {
    const path = (issue.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".");
    return { path: path === "" ? context : `${context}.${path}`, message: issue.message ?? "invalid" };
  });
}

/** What to answer for any error a request raised: ours, validation, fastify's own, or a bug. */
function answerError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? "request";
    const issues = issuesOf(error, context);
    const first = issues[0];
    const message = first ? `invalid ${first.path}: ${first.message}` : "invalid request";
    return sendError(reply, new CopydeskError("INPUT_INVALID", message), { issues });
  }
  if (isCopydeskError(error)) {
    if (statusForCode(error.code) >= 500) request.log.warn({ err: error }, "request failed");
    return sendError(reply, error);
  }
  if (isResponseSerializationError(error)) {
    // Our response broke our own schema: a bug, logged with the issues, answered without them.
    request.log.error({ err: error, issues: error.cause.issues }, "response does not match its schema");
    return sendError(reply, new CopydeskError("API_INTERNAL", "internal error"));
  }
  const refusal = fromFastifyError(error as FastifyError);
  if (refusal) return sendError(reply, refusal.error, { status: refusal.status });
  request.log.error({ err: error }, "unexpected error");
  return sendError(reply, new CopydeskError("API_INTERNAL", "internal error"));
}

/**
 * Fastify's `frameworkErrors` option: the errors its router raises before any route or hook runs
 * (a path parameter over `maxParamLength`, a path that does not decode), answered like any other.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  answerError(error, request, reply);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(answerError);

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    sendError(reply, new CopydeskError("API_NOT_FOUND", `no route ${request.method} ${path.slice(0, 200)}`));
  });
}

export function sendError(reply: FastifyReply, error: CopydeskError, extras: ErrorExtras = {}): FastifyReply {
  const body = errorBody(error, extras);
  if (error.retryAfterMs !== undefined && !reply.hasHeader("retry-after")) {
    reply.header("retry-after", Math.ceil(error.retryAfterMs / 1000));
  }
  // The body is built here, so it bypasses the route's serializer: an error must never fail to render.
  // Router errors skip the onSend hooks, so the nosniff header is set here too.
  return reply
    .code(body.statusCode)
    .type("application/json; charset=utf-8")
    .header("x-content-type-options", "nosniff")
    .serializer((payload: unknown) => JSON.stringify(payload))
    .send(body);
}
