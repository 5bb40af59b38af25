import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { OpenAPIV3_1 } from "openapi-types";

/**
 * Conditional reads (RFC 9110 §8.8.3, §13.1.2): every successful GET or HEAD under /v1/ carries a
 * strong ETag computed from the bytes it sends, and a request whose If-None-Match matches it gets
 * 304 Not Modified with no body. Deriving the tag from the bytes, not from a record's revision,
 * keeps it right for every route at once: a list page, a feed, a story or a job view changes its
 * tag exactly when its representation changes (a story gaining a copy, a feed link under another
 * public URL), which no single revision number would track.
 *
 * The body is still built and hashed for a 304: what the client saves is the transfer, not our
 * store read. There is no content coding on this server; a compressing proxy in front must weaken
 * or rewrite these tags, as RFC 9110 asks of it.
 */
export function installConditionalReads(app: FastifyInstance): void {
  app.addHook("onSend", async (request, reply, payload) => answerConditionally(request, reply, payload));
}

/**
 * The routes whose representations are tagged: the JSON API and its feeds. `path` is a route's
 * path in fastify's form (`/v1/articles/:id`) or the API document's (`/v1/articles/{id}`).
 */
function isConditionalRead(method: string, path: string): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  return path.startsWith("/v1/");
}

type OpenApiDocument = Partial<OpenAPIV3_1.Document>;
type Operation = NonNullable<OpenAPIV3_1.PathItemObject["get"]>;

const ETAG_HEADER = "#/components/headers/ETag";
const IF_NONE_MATCH = "#/components/parameters/IfNoneMatch";
const NOT_MODIFIED = "#/components/responses/NotModified";

/**
 * The API document with the conditional reads described on every operation they apply to (the
 * same rule as the hook, so the two cannot disagree): the ETag header of a 200, the If-None-Match
 * parameter and the 304 answer.
 */
export function documentConditionalReads(document: OpenApiDocument): OpenApiDocument {
  const paths: NonNullable<OpenApiDocument["paths"]> = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (item === undefined) continue;
    const described = { ...item };
    for (const method of ["get", "head"] as const) {
      const operation = item[method];
      if (operation === undefined || !isConditionalRead(method.toUpperCase(), path)) continue;
      described[method] = conditionalOperation(operation);
    }
    paths[path] = described;
  }
  return {
    ...document,
    paths,
    components: {
      ...document.components,
      headers: {
        ...document.components?.headers,
        ETag: {
          description:
            "A strong entity tag of the bytes of this representation: it changes exactly when they do. " +
            "Send it back in If-None-Match to get 304 while nothing changed.",
          schema: { type: "string" },
          example: '"bX3kq9cVtN1rYpLw2JmE8a"',
        },
      },
      parameters: {
        ...document.components?.parameters,
        IfNoneMatch: {
          name: "If-None-Match",
          in: "header",
          required: false,
          description:
            "Entity tags from earlier ETag headers (weak ones too), or `*`. When one names the current " +
            "representation the answer is 304 Not Modified, with no body.",
          schema: { type: "string" },
        },
      },
      responses: {
        ...document.components?.responses,
        NotModified: {
          description:
            "Not Modified: If-None-Match names the current representation. No body; the ETag is sent again.",
          headers: { ETag: { $ref: ETAG_HEADER } },
        },
      },
    },
  };
}

function conditionalOperation(operation: Operation): Operation {
  const responses = { ...operation.responses };
  const ok = responses["200"];
  if (ok !== undefined && !("$ref" in ok)) {
    responses["200"] = { ...ok, headers: { ...ok.headers, ETag: { $ref: ETAG_HEADER } } };
  }
  responses["304"] = { $ref: NOT_MODIFIED };
  return {
    ...operation,
    parameters: [...(operation.parameters ?? []), { $ref: IF_NONE_MATCH }],
    responses,
  };
}

function answerConditionally(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  if (reply.statusCode !== 200 || !isConditionalRead(request.method, request.routeOptions.url ?? "")) {
    return payload;
  }
  if (typeof payload !== "string" && !Buffer.isBuffer(payload)) return payload;
  const existing = reply.getHeader("etag");
  const etag = typeof existing === "string" ? existing : strongEtagOf(payload);
  reply.header("etag", etag);
  if (!ifNoneMatchMatches(request.headers["if-none-match"], etag)) return payload;
  // 304: only the fields a 200 would have carried for caches (ETag, Vary…), no content metadata.
  reply.code(304);
  reply.removeHeader("content-type");
  if (request.method === "HEAD") {
    // fastify's HEAD handler runs after this hook, drops the payload and sets Content-Length from
    // it: the length the 200 would have had, which RFC 9110 §8.6 allows on a 304.
    return payload;
  }
  reply.removeHeader("content-length");
  return null;
}

/** `"<22 base64url characters>"`: 128 bits of the SHA-256 of the bytes, as a strong tag. */
export function strongEtagOf(payload: string | Buffer): string {
  const digest = createHash("sha256").update(payload).digest("base64url");
  return `"${digest.slice(0, 22)}"`;
}

export interface EntityTag {
  weak: boolean;
  /** The opaque tag with its quotes, as compared. */
  opaque: string;
}

/**
 * If-None-Match: `*`, or a comma-separated list of entity tags (which may themselves contain
 * commas inside their quotes). Returns null for a malformed header: it is then ignored, and the
 * full response is sent, which is always a correct answer.
 */
export function parseIfNoneMatch(header: string): "*" | EntityTag[] | null {
  if (header.trim() === "*") return "*";
  const tags: EntityTag[] = [];
  let at = 0;
  const skipSeparators = () => {
    while (at < header.length && /[ \t,]/.test(header.charAt(at))) at++;
  };
  skipSeparators();
  while (at < header.length) {
    let weak = false;
    if (header.startsWith("W/", at)) {
      weak = true;
      at += 2;
    }
    if (header.charAt(at) !== '"') return null;
    const end = header.indexOf('"', at + 1);
    if (end === -1) return null;
    const opaque = header.slice(at, end + 1);
    if (!isOpaqueTag(opaque)) return null;
    tags.push({ weak, opaque });
    at = end + 1;
    // Between tags only optional whitespace and a comma.
    while (at < header.length && /[ \t]/.test(header.charAt(at))) at++;
    if (at < header.length && header.charAt(at) !== ",") return null;
    skipSeparators();
  }
  return tags.length > 0 ? tags : null;
}

/** etagc = %x21 / %x23-7E / obs-text, between the quotes. */
function isOpaqueTag(quoted: string): boolean {
  for (let i = 1; i < quoted.length - 1; i++) {
    const code = quoted.charCodeAt(i);
    if (code === 0x22 || code < 0x21 || code === 0x7f || code > 0xff) return false;
  }
  return true;
}

/**
 * Whether If-None-Match names the current representation, by weak comparison (§13.1.2: the
 * opaque tags are equal, whichever of them is weak). `*` matches any current representation.
 */
export function ifNoneMatchMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const parsed = parseIfNoneMatch(Array.isArray(header) ? header.join(", ") : header);
  if (parsed === null) return false;
  if (parsed === "*") return true;
  const current = etag.startsWith("W/") ? etag.slice(2) : etag;
  return parsed.some((tag) => tag.opaque === current);
}
