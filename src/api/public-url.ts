import type { FastifyRequest } from "fastify";

/** Absolute base URL of the API (no trailing slash), for the links inside feeds. */
export type BaseUrlOf = (request: FastifyRequest) => string;

export const FEED_TITLE = "copydesk";

/**
 * COPYDESK_PUBLIC_URL when set; else the address the request was sent to, which is right for a
 * server reached directly and wrong behind a proxy that rewrites Host (set the variable there).
 */
export function baseUrlResolver(publicUrl: string | undefined): BaseUrlOf {
  if (publicUrl) {
    const fixed = publicUrl.replace(/\/+$/, "");
    return () => fixed;
  }
  return (request) => `${request.protocol}://${request.host}`;
}
