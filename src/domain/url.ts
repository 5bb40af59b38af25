import { createHash } from "node:crypto";
import { getDomain, getDomainWithoutSuffix, getPublicSuffix } from "tldts";
import { CopydeskError } from "./errors.js";

/** Query parameters that only track a click; they never change which story a URL names. */
const TRACKING_PARAMS = [
  /^utm_/i,
  /^fbclid$/i,
  /^gclid$/i,
  /^dclid$/i,
  /^msclkid$/i,
  /^mc_(cid|eid)$/i,
  /^_ga$/i,
  /^igshid$/i,
  /^ref(_src|src)?$/i,
  /^cmpid$/i,
  /^ito$/i,
  /^mod$/i,
  /^sourceid$/i,
  /^xtor$/i,
];

/** Parses an absolute http(s) URL or throws INPUT_BAD_URL. */
export function parseHttpUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new CopydeskError("INPUT_BAD_URL", `not a valid URL: ${JSON.stringify(input)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CopydeskError("INPUT_BAD_URL", `only http and https URLs are supported, got ${url.protocol}`);
  }
  return url;
}

/**
 * Refuses a URL that carries `user:password@` credentials: a fetch would hand them to the publisher,
 * and job data and logs would keep them. Canonical URLs drop them silently, so whatever takes a URL
 * from a person (the API, the CLI) checks first and says no.
 */
export function refuseCredentials(url: URL): URL {
  if (url.username !== "" || url.password !== "") {
    throw new CopydeskError("FETCH_BLOCKED_URL", "refusing a URL with credentials in it", {
      details: { host: url.host },
    });
  }
  return url;
}

/**
 * The one spelling of a URL that the store keys articles by: lower-case host without "www."-style
 * differences left alone (they can be different sites), no fragment, no default port, no tracking
 * parameters, remaining parameters sorted, and an empty path written as "/".
 */
export function canonicalizeUrl(input: string | URL): string {
  const url = typeof input === "string" ? parseHttpUrl(input) : new URL(input.href);
  url.hash = "";
  url.username = "";
  url.password = "";
  url.hostname = url.hostname.toLowerCase().replace(/\.$/, "");
  if ((url.protocol === "http:" && url.port === "80") || (url.protocol === "https:" && url.port === "443")) {
    url.port = "";
  }
  const kept = [...url.searchParams.entries()].filter(([key]) => !TRACKING_PARAMS.some((re) => re.test(key)));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = new URLSearchParams(kept).toString();
  if (url.pathname === "") url.pathname = "/";
  return url.href;
}

/** Host of a URL without a leading "www.", for grouping and site rules. */
export function siteOf(input: string): string {
  try {
    return new URL(input).hostname.toLowerCase().replace(/^www\d?\./, "");
  } catch {
    return "";
  }
}

/** A name shorter than this ("abc", "yahoo", "news") is shared by unrelated publishers across countries. */
const MIN_BRAND = 6;

/**
 * Whether two URLs belong to one publisher: the same site, a subdomain of its registrable domain
 * ("social.techcrunch.com" and "techcrunch.com"), or the same name under another public suffix
 * when one of them is a country's (a national edition: "businessinsider.com" and "businessinsider.de").
 */
export function samePublisherSite(a: string, b: string): boolean {
  const hostA = siteOf(a);
  const hostB = siteOf(b);
  if (!hostA || !hostB) return false;
  if (hostA === hostB) return true;
  const domainA = getDomain(hostA);
  const domainB = getDomain(hostB);
  if (!domainA || !domainB) return false;
  if (domainA === domainB) return true;
  // A national edition differs by its country's suffix; "example.org" and "example.net" are two sites.
  const national = [hostA, hostB].some((host) => /(?:^|\.)[a-z]{2}$/.test(getPublicSuffix(host) ?? ""));
  const brand = getDomainWithoutSuffix(hostA);
  return national && brand !== null && brand.length >= MIN_BRAND && brand === getDomainWithoutSuffix(hostB);
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Stable article id: derived from the canonical URL so every process computes the same one. */
export function articleIdFor(canonicalUrl: string): string {
  return `art_${sha256Hex(canonicalUrl).slice(0, 24)}`;
}

/** Stable job key for a URL, so the same URL queued twice within a window runs once. */
export function jobKeyForUrl(url: string): string {
  return `url_${sha256Hex(canonicalizeUrl(url)).slice(0, 32)}`;
}
