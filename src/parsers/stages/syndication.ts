import type { Provenance } from "../../domain/article.js";
import { canonicalizeUrl, samePublisherSite } from "../../domain/url.js";
import type { PageCredits } from "../engine/credit-lines.js";
import { absoluteUrl, isScriptUrl } from "../engine/images.js";
import { plainText, TEXT_LIMITS } from "../engine/plain-text.js";
import type { JsonLdArticle } from "../generic/json-ld.js";
import type { GenericMetadata } from "../generic/metadata.js";
import { detectProvenance } from "../generic/provenance.js";
import type { SiteRule } from "../sites/types.js";

export interface SyndicationInput {
  finalUrl: string;
  generic: Pick<GenericMetadata, "canonical" | "ogUrl"> &
    Partial<Pick<GenericMetadata, "byline" | "authorNames">>;
  publisher: string | null;
  /** The record's byline as resolved (a site rule's, else the cascade's). */
  byline?: string | null;
  /** What the whole page says of its source and of itself, read before cleaning. */
  pageCredits?: PageCredits | null;
  /** The story's text (its dateline, its sign-off). */
  bodyText?: string | null;
  rule: SiteRule | null;
  jsonLd: JsonLdArticle | null;
  /** "Original URL:" URLs, from the body's lines first, then from anywhere on the page. */
  originalUrls: string[];
  creditLines: string[];
  isArticle: boolean;
}

export interface Syndication {
  /** Canonical URL of this copy. */
  url: string;
  provenance: Provenance[];
  /**
   * The hosting site's name when the chain rejected the cascade's publisher: a registered outlet
   * other than this site (a wire's JSON-LD on a hosting site), or on an aggregator's copy the
   * name of the copy it mirrors. Null or absent when the cascade's publisher stands.
   */
  publisher?: string | null;
  /** Set when the page offered a script URL as a canonical, og:url, source or Original URL. */
  warnings: string[];
}

/**
 * Stage 8: this copy's canonical URL and its place in the syndication chain (origin → syndicator
 * → aggregator). Only absolute http(s) URLs enter the chain. A listing is no copy of a story: it
 * has no chain.
 */
export function traceSyndication(input: SyndicationInput): Syndication {
  const { finalUrl, generic, jsonLd } = input;
  const offered = [
    generic.canonical,
    generic.ogUrl,
    ...input.originalUrls,
    ...(jsonLd?.basedOn ?? []).map((b) => b.url),
  ];
  const scripts = offered.filter(isScriptUrl).length;
  const warnings = scripts
    ? [`dropped ${scripts} script URL${scripts > 1 ? "s" : ""} the page gave as its source`]
    : [];
  const url = canonicalUrlFor(finalUrl, generic);
  if (!input.isArticle) return { url, provenance: [], publisher: null, warnings };
  const provenance = detectProvenance({
    url,
    publisher: input.publisher,
    rule: input.rule,
    foreignCanonical: foreignCanonical(finalUrl, generic),
    originalUrls: input.originalUrls.map((u) => absoluteUrl(u, finalUrl)).filter((u): u is string => !!u),
    jsonLd: jsonLd && {
      ...jsonLd,
      basedOn: jsonLd.basedOn.map((b) => ({ ...b, url: absoluteUrl(b.url, finalUrl) })),
    },
    creditLines: input.creditLines,
    page: input.pageCredits ?? null,
    bylines: [input.byline ?? null, generic.byline ?? null, ...(generic.authorNames ?? [])],
    bodyText: input.bodyText ?? null,
  });
  // Names come from the page's JSON-LD and credit lines as well as from the publisher field.
  const plainNames = provenance.map((entry) => ({ ...entry, name: plainText(entry.name, TEXT_LIMITS.name) }));
  const own = plainNames[plainNames.length - 1]?.name ?? null;
  const publisher = input.publisher !== null && own !== null && own !== input.publisher ? own : null;
  return { url, provenance: plainNames, publisher, warnings };
}

/** The page's canonical URL when it names this same publisher's site; otherwise our own final URL. */
function canonicalUrlFor(finalUrl: string, generic: SyndicationInput["generic"]): string {
  for (const candidate of [generic.canonical, generic.ogUrl]) {
    const absolute = absoluteUrl(candidate, finalUrl);
    if (absolute && /^https?:/.test(absolute) && samePublisherSite(absolute, finalUrl))
      return canonicalizeUrl(absolute);
  }
  return canonicalizeUrl(finalUrl);
}

/** rel=canonical, else og:url, when it points to another publisher's site (not its own edition or subdomain). */
function foreignCanonical(
  finalUrl: string,
  generic: SyndicationInput["generic"],
): { url: string; evidence: "canonical" | "og:url" } | null {
  const canonical = absoluteUrl(generic.canonical, finalUrl);
  if (canonical && !samePublisherSite(canonical, finalUrl))
    return { url: canonicalizeUrl(canonical), evidence: "canonical" };
  const og = absoluteUrl(generic.ogUrl, finalUrl);
  if (og && !samePublisherSite(og, finalUrl)) return { url: canonicalizeUrl(og), evidence: "og:url" };
  return null;
}
