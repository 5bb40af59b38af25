/**
 * What a fetch produces, and what the store keeps of it so a page can be re-extracted later
 * without going back to the publisher.
 */
export interface FetchedPage {
  requestedUrl: string;
  finalUrl: string;
  /** Every URL we were redirected through, in order, excluding requestedUrl and including finalUrl. */
  redirects: string[];
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** The body decoded to a string with `charset`. */
  html: string;
  charset: string;
  contentType: string;
  etag: string | null;
  lastModified: string | null;
  /** ISO-8601 UTC. */
  fetchedAt: string;
  /** Size of the (content-decoded) body in bytes. */
  bytes: number;
  elapsedMs: number;
  /** The body bytes as received after content decoding (gzip/br), before charset decoding. */
  raw: Buffer;
}

/** A stored raw response: enough to re-extract, and to send a conditional GET next time. */
export interface PageSnapshot {
  url: string;
  requestedUrl: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  charset: string;
  contentType: string;
  etag: string | null;
  lastModified: string | null;
  fetchedAt: string;
  bytes: number;
  /** gzip of the raw body bytes. */
  bodyGzip: Buffer;
}

/** Validators for a conditional GET, taken from the last snapshot of a URL. */
export interface ConditionalValidators {
  etag: string | null;
  lastModified: string | null;
}

/** What the extractor reads of a page: its markup, where it came from and when. */
export interface ParsePageInput {
  html: string;
  /** The URL the page was fetched from (after redirects, when `finalUrl` is not given). */
  url: string;
  /** ISO-8601 UTC. */
  fetchedAt: string;
  requestedUrl?: string;
  finalUrl?: string;
}

/** The extractor's input for a fetched (or re-read) page: its final URL is the one it is read as. */
export function parseInputFor(page: FetchedPage): ParsePageInput {
  return {
    html: page.html,
    url: page.finalUrl,
    fetchedAt: page.fetchedAt,
    requestedUrl: page.requestedUrl,
    finalUrl: page.finalUrl,
  };
}
