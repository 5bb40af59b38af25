import type { FastifyPluginAsync } from "fastify";
import { READER_CSS, READER_HTML, READER_JS } from "../reader/page.js";

/**
 * Publisher images are the only third-party content the page loads; scripts, styles and API calls
 * stay on this origin, and the page cannot be framed.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src https: http: data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The reader page: static files; everything it shows comes from the JSON API. */
export const readerRoutes: FastifyPluginAsync = async (app) => {
  const files: [string, string, string][] = [
    ["/", "text/html; charset=utf-8", READER_HTML],
    ["/reader.js", "text/javascript; charset=utf-8", READER_JS],
    ["/reader.css", "text/css; charset=utf-8", READER_CSS],
  ];
  for (const [url, type, content] of files) {
    app.get(url, { config: { access: "public" }, schema: { hide: true } }, async (_request, reply) => {
      reply
        .type(type)
        .header("content-security-policy", CONTENT_SECURITY_POLICY)
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer")
        .header("cache-control", "no-cache");
      return content;
    });
  }
};
