import { CopydeskError } from "../domain/errors.js";
import type { FetchedPage } from "../domain/page.js";
import { decodeHtmlBytes } from "./charset.js";
import type { FinalResponse } from "./request.js";

const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);

/**
 * A 2xx response as an article page: refused before its body is read when its Content-Type says it
 * is not HTML (or, without one, when its first bytes do not look like markup), then decoded to text
 * with the charset it declares or that can be sniffed.
 */
export async function readHtmlPage(response: FinalResponse, maxBodyBytes: number): Promise<FetchedPage> {
  const { url, headers } = response;
  const contentTypeHeader = headers["content-type"] ?? null;
  const mimeType = mimeTypeOf(contentTypeHeader);
  if (mimeType !== null && !HTML_TYPES.has(mimeType)) throw notAnArticle(url.href, mimeType);
  const raw = await response.readBody(maxBodyBytes, "error");
  if (mimeType === null && !looksLikeHtml(raw)) throw notAnArticle(url.href, "no Content-Type, not HTML");
  let decoded: { html: string; charset: string };
  try {
    decoded = decodeHtmlBytes(raw, contentTypeHeader);
  } catch (error) {
    throw new CopydeskError("FETCH_DECODE", `could not decode the page from ${url.host}`, {
      details: { url: url.href },
      cause: error,
    });
  }
  return {
    requestedUrl: response.requestedUrl.href,
    finalUrl: url.href,
    redirects: response.redirects,
    status: response.status,
    headers,
    html: decoded.html,
    charset: decoded.charset,
    contentType: mimeType ?? "text/html",
    etag: headers.etag ?? null,
    lastModified: headers["last-modified"] ?? null,
    fetchedAt: response.fetchedAt,
    bytes: raw.byteLength,
    elapsedMs: 0,
    raw,
  };
}

function notAnArticle(url: string, what: string): CopydeskError {
  return new CopydeskError("FETCH_NOT_HTML", `not an article: ${url} is ${what}, not HTML`, {
    details: { url, contentType: what },
  });
}

/** The lower-case MIME type of a Content-Type value, or null when there is none. */
function mimeTypeOf(contentType: string | null): string | null {
  const essence = contentType?.split(";")[0]?.trim().toLowerCase();
  return essence ? essence : null;
}

/** For responses without a Content-Type: HTML starts with markup, after an optional BOM and blanks. */
function looksLikeHtml(bytes: Buffer): boolean {
  const start = bytes
    .subarray(0, 512)
    .toString("latin1")
    .replace(/^(\xef\xbb\xbf|\xff\xfe|\xfe\xff)/, "");
  return /^\s*</.test(start.replace(/\0/g, ""));
}
