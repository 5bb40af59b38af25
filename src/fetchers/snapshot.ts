import { gunzipSync, gzipSync } from "node:zlib";
import type { FetchedPage, PageSnapshot } from "../domain/page.js";
import { canonicalizeUrl } from "../domain/url.js";
import { decodeWithCharset } from "./charset.js";

/**
 * A snapshot is what the store keeps of a fetch: the content-decoded body bytes, gzipped by us, with
 * the response headers and the charset that was chosen, so a page can be re-extracted later exactly
 * as it was seen, and its validators sent with the next conditional GET.
 *
 * `url` is the canonical form of the requested URL: the key the next fetch of that URL looks up.
 * Snapshots do not keep the redirect chain or timing; `pageFromSnapshot` rebuilds the chain as
 * [finalUrl] when the page was redirected and reports elapsedMs 0.
 */
export function snapshotFromPage(page: FetchedPage): PageSnapshot {
  return {
    url: canonicalizeUrl(page.requestedUrl),
    requestedUrl: page.requestedUrl,
    finalUrl: page.finalUrl,
    status: page.status,
    headers: { ...page.headers },
    charset: page.charset,
    contentType: page.contentType,
    etag: page.etag,
    lastModified: page.lastModified,
    fetchedAt: page.fetchedAt,
    bytes: page.raw.byteLength,
    bodyGzip: gzipSync(page.raw),
  };
}

export function pageFromSnapshot(snapshot: PageSnapshot): FetchedPage {
  const raw = gunzipSync(snapshot.bodyGzip);
  return {
    requestedUrl: snapshot.requestedUrl,
    finalUrl: snapshot.finalUrl,
    redirects: snapshot.finalUrl === snapshot.requestedUrl ? [] : [snapshot.finalUrl],
    status: snapshot.status,
    headers: { ...snapshot.headers },
    html: decodeWithCharset(raw, snapshot.charset),
    charset: snapshot.charset,
    contentType: snapshot.contentType,
    etag: snapshot.etag,
    lastModified: snapshot.lastModified,
    fetchedAt: snapshot.fetchedAt,
    bytes: raw.byteLength,
    elapsedMs: 0,
    raw,
  };
}
