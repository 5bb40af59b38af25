import type { ProvenanceRole } from "../../domain/article.js";

/**
 * A site rule is data: ordered selectors per field, selectors to clean away, and markers.
 * When a site changes its markup, add a new version with a later `validFrom`; old fixtures keep
 * using the old one (the newest version not newer than the page's fetch date wins).
 */
export type RuleField = "title" | "standfirst" | "byline" | "publishedAt" | "modifiedAt" | "section" | "tags";

export interface FieldRule {
  /** Tried in order; the first that yields text wins. */
  selectors: string[];
  /** Read this attribute instead of the text (e.g. "datetime", "content"). */
  attribute?: string;
}

export interface SiteRule {
  /** Registrable hosts this rule serves, without "www.". */
  hosts: string[];
  /** First day (YYYY-MM-DD) this version of the rule describes the site's markup. */
  validFrom: string;
  /** The publisher's own name. */
  publisher: string;
  /** What this site is in a syndication chain when it shows a story. */
  role: ProvenanceRole;
  fields: Partial<Record<RuleField, FieldRule>>;
  /** Containers of the story body, tried in order; the generic body extractor runs when none matches. */
  body?: string[];
  /** Removed before anything is extracted: promos, share bars, related links, prompts. */
  clean?: string[];
  /** Present in the page when the story body is a paywall teaser. */
  paywallMarkers?: string[];
  /**
   * Aggregators that mirror another site under their own host keep the original host and path in
   * the URL (`https://aggregator/www.example.com/path`): the original URL can be rebuilt from it.
   */
  mirrorsOriginalInPath?: boolean;
}

export interface MatchedRule {
  id: string;
  rule: SiteRule;
}
