import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Config, hashApiToken } from "../config.js";
import { CopydeskError } from "../domain/errors.js";
import { sendError } from "./error-handler.js";

/**
 * Bearer tokens from config, kept as sha256 digests. Each route declares what it needs in its
 * `config.access`; one preValidation hook enforces it (after the rate limit, before the body is validated):
 * - "public": anyone (health, docs, the reader page's static files);
 * - "read": anyone, unless reads are protected (COPYDESK_API_AUTH_READS or read tokens configured);
 * - "write": a write token (re-fetch, the dashboard).
 * A token that matches nothing is refused on every route, so a misconfigured client finds out at once.
 */
export type Access = "public" | "read" | "write";
export type Role = "read" | "write";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export interface Principal {
  /** Null for a request without credentials. */
  role: Role | null;
  /** The token's digest (a prefix: enough to key rate limits and logs, useless to an attacker). */
  tokenId: string | null;
  /** Credentials were presented but match no configured token. */
  invalid: boolean;
}

export interface TokenBook {
  lookup(digest: string): Role | undefined;
  hasWriteTokens: boolean;
  protectReads: boolean;
}

export function tokenBook(config: Config): TokenBook {
  const roles = new Map<string, Role>();
  for (const digest of config.apiReadTokenHashes) roles.set(digest, "read");
  // A token listed as both is a write token: the stronger grant wins.
  for (const digest of config.apiTokenHashes) roles.set(digest, "write");
  return {
    // Digests are compared, not secrets: a timing difference reveals nothing about a token.
    lookup: (digest) => roles.get(digest),
    hasWriteTokens: config.apiTokenHashes.length > 0,
    protectReads: config.apiAuthReads,
  };
}

/**
 * The token in `Authorization: Bearer <token>`, or the password of `Basic` credentials: browsers
 * only send Basic by themselves, which is what lets a person open the dashboard.
 */
export function presentedToken(header: string | undefined): string | null {
  if (!header) return null;
  const space = header.indexOf(" ");
  if (space < 0) return null;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === "bearer") return value || null;
  if (scheme === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon >= 0 ? decoded.slice(colon + 1) || null : null;
  }
  return null;
}

export function principalOf(request: FastifyRequest, book: TokenBook): Principal {
  if (request.principal) return request.principal;
  const token = presentedToken(request.headers.authorization);
  let principal: Principal;
  if (token === null) {
    principal = { role: null, tokenId: null, invalid: request.headers.authorization !== undefined };
  } else {
    const digest = hashApiToken(token);
    const role = book.lookup(digest) ?? null;
    principal = { role, tokenId: role ? digest.slice(0, 12) : null, invalid: role === null };
  }
  request.principal = principal;
  return principal;
}

/** Whether a principal may use a route; throws the 401 or 403 to send otherwise. */
export function authorize(principal: Principal, access: Access, book: TokenBook): void {
  if (principal.invalid) {
    throw new CopydeskError("API_UNAUTHORIZED", "the API token is not valid");
  }
  if (access === "public") return;
  if (access === "read") {
    if (book.protectReads && principal.role === null) {
      throw new CopydeskError(
        "API_UNAUTHORIZED",
        "reads need an API token: send Authorization: Bearer <token>",
      );
    }
    return;
  }
  if (!book.hasWriteTokens) {
    throw new CopydeskError(
      "API_FORBIDDEN",
      "this server has no write tokens: set COPYDESK_API_TOKENS to enable it",
    );
  }
  if (principal.role === null) {
    throw new CopydeskError(
      "API_UNAUTHORIZED",
      "this needs an API token: send Authorization: Bearer <token>",
    );
  }
  if (principal.role !== "write") {
    throw new CopydeskError("API_FORBIDDEN", "this token may only read");
  }
}

export function installAuth(app: FastifyInstance, book: TokenBook): void {
  app.decorateRequest("principal", undefined);
  app.addHook("preValidation", async (request, reply) => {
    // A route that forgets to declare its access is readable, not public.
    const access = request.routeOptions.config.access ?? "read";
    try {
      authorize(principalOf(request, book), access, book);
    } catch (error) {
      if (!(error instanceof CopydeskError)) throw error;
      if (error.code === "API_UNAUTHORIZED") {
        // Browsers prompt for Basic credentials on the dashboard; API clients expect Bearer.
        const isDashboard = request.url.startsWith("/dashboard");
        reply.header(
          "www-authenticate",
          isDashboard ? 'Basic realm="copydesk dashboard", charset="UTF-8"' : 'Bearer realm="copydesk"',
        );
      }
      // Answered here rather than thrown: plugins such as Bull Board install error handlers of
      // their own, which would turn a 401 into their 500.
      return sendError(reply, error);
    }
  });
}
