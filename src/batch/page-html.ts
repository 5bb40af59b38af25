import { CopydeskError } from "../domain/errors.js";
import { decodeHtmlBytes } from "../fetchers/charset.js";
import { binaryReason, notHtmlError, textReason } from "./sniff-html.js";

/**
 * The HTML of a page read from a file, an archive record or a response: refused as INPUT_NOT_HTML
 * when its bytes or its decoded text show it is something else, decoded with the charset its
 * Content-Type, BOM or <meta> gives (or that can be detected) otherwise.
 */
export function htmlOfPage(bytes: Uint8Array, contentType: string | null, source: string): string {
  if (bytes.length === 0) throw new CopydeskError("INPUT_UNREADABLE", `${source} is empty`);
  const binary = binaryReason(bytes);
  if (binary) throw notHtmlError(source, binary);
  const { html } = decodeHtmlBytes(bytes, contentType);
  const text = textReason(html);
  if (text) throw notHtmlError(source, text);
  return html;
}

/**
 * A fetched page checked the same way: the fetcher has refused what its Content-Type says is not
 * HTML, but a server that labels a PNG or a PDF text/html is common enough.
 */
export function checkFetchedHtml(raw: Uint8Array, html: string, source: string): void {
  const reason = binaryReason(raw) ?? textReason(html);
  if (reason) throw notHtmlError(source, reason);
}
