import { getDomainWithoutSuffix } from "tldts";
import type { Provenance } from "../../domain/article.js";
import { siteOf } from "../../domain/url.js";
import type { PageCredits } from "../engine/credit-lines.js";
import type { SiteRule } from "../sites/types.js";
import {
  bylineCredits,
  type Credit,
  copyrightHolder,
  creditIdentity,
  datelineCredit,
  lineCredit,
  outletNamed,
  saysRepublishedUnnamed,
  signOffCredit,
} from "./credits.js";
import type { JsonLdArticle } from "./json-ld.js";
import {
  creditKey,
  KNOWN_PUBLISHERS,
  type KnownPublisher,
  publisherForCredit,
  publisherForHost,
  publisherForName,
} from "./publishers.js";

/**
 * The syndication chain of one copy, read from the page itself: who wrote the story (origin),
 * who republished it (syndicator) and who mirrored it (aggregator), each with the evidence. The
 * page's own site is always the last entry; a wire or partner the page credits is the origin.
 */
export interface ProvenanceInput {
  /** Canonical URL of this copy. */
  url: string;
  /** The publisher the metadata cascade found (og:site_name, JSON-LD…), which a mirror copies. */
  publisher: string | null;
  rule: SiteRule | null;
  /** rel=canonical or og:url when it points to another site. */
  foreignCanonical: { url: string; evidence: "canonical" | "og:url" } | null;
  /** URLs printed after "Original URL:" in the body, then anywhere on the page. */
  originalUrls: string[];
  jsonLd: JsonLdArticle | null;
  /** Credit lines removed from the head or foot of the body, such as "The Wall Street Journal". */
  creditLines: string[];
  /** What the whole page says of its source and of itself, read before cleaning. */
  page?: PageCredits | null;
  /** Printed and declared bylines ("By Ann Lee, Associated Press"). */
  bylines?: (string | null)[];
  /** The story's text: its dateline opens it, a sign-off may end it. */
  bodyText?: string | null;
}

interface ChainEntry {
  name: string | null;
  url: string | null;
  known: KnownPublisher | null;
  evidence: string[];
}

/** What each kind of credit weighs when two outlets are credited: the heavier is the origin. */
const WEIGHTS: Record<string, number> = {
  dateline: 3,
  byline: 3,
  "republished-line": 3,
  "json-ld:sourceOrganization": 3,
  "json-ld:isBasedOn": 3,
  "json-ld:author": 2,
  "credit-line": 2,
  "source-line": 2,
  "sign-off": 2,
  "copyright-line": 1,
  "name-line": 1,
  "url-section": 2,
  "json-ld:publisher": 1,
  "microdata:publisher": 1,
};
/**
 * A publisher declared in metadata (JSON-LD or microdata publisher) but credited nowhere else is
 * often the site's parent company: alone it names the origin only on an aggregator's copy.
 */
const ORIGIN_MIN_WEIGHT = 2;

const MIRRORED_PATH = /^\/((?:[a-z0-9-]+\.)+[a-z]{2,})(\/.+)$/i;
/** Path segments that look like a host but are files. */
const FILE_SEGMENT =
  /\.(?:html?|php\d?|aspx?|jsp|cgi|shtml|xml|json|rss|pdf|jpe?g|png|gif|webp|svg|txt|amp)$/i;

/** The original URL an aggregator keeps in its own path: https://agg/www.site.com/path → https://www.site.com/path. */
export function originalFromMirroredPath(url: string): string | null {
  try {
    const { pathname, search } = new URL(url);
    const match = MIRRORED_PATH.exec(pathname);
    if (!match?.[1] || !match[2] || FILE_SEGMENT.test(match[1])) return null;
    return new URL(`https://${match[1]}${match[2]}${search}`).href;
  } catch {
    return null;
  }
}

/**
 * A mirrored path counts when something else says so: the rule, a host of the registry, a "www."
 * host, or an Original URL line or canonical naming the same site. "/index.html/…" is no host.
 */
function mirroredOriginal(input: ProvenanceInput, original: string | undefined): string | null {
  const mirrored = originalFromMirroredPath(input.url);
  if (!mirrored) return null;
  const site = siteOf(mirrored);
  if (site === siteOf(input.url)) return null;
  const corroborated =
    input.rule?.mirrorsOriginalInPath === true ||
    publisherForHost(site) !== undefined ||
    new URL(mirrored).hostname.startsWith("www.") ||
    (original !== undefined && siteOf(original) === site) ||
    (input.foreignCanonical !== null && siteOf(input.foreignCanonical.url) === site);
  return corroborated ? mirrored : null;
}

function addEvidence(entry: ChainEntry, evidence: readonly string[]): void {
  for (const e of evidence) if (!entry.evidence.includes(e)) entry.evidence.push(e);
}

/** Letters and digits only, lower-case: "Mirror News" and "mirrornews.example" meet as "mirrornews". */
function compact(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** Whether a name is this site's own: its registry entry, or a name its host spells. */
function namesSite(name: string, site: string): boolean {
  const known = publisherForName(name);
  if (known) return ownsHost(known, site);
  const letters = compact(name.replace(/^the\s+/i, ""));
  if (letters.length >= 3 && compact(site).includes(letters)) return true;
  // "Al Bawaba (Middle East) Ltd" on albawaba.com: the name spells the host's.
  const brand = getDomainWithoutSuffix(site);
  // A short host name ("news" of news.com.au) is in too many names to tell one.
  return brand !== null && brand.length >= 6 && letters.includes(compact(brand));
}

function ownsHost(known: KnownPublisher, site: string): boolean {
  return known.hosts.some((host) => site === host || site.endsWith(`.${host}`));
}

/**
 * A registered outlet other than this site that the page credits for the story: its name, as the
 * cascade's publisher, is the wire's metadata copied onto a hosting site. A registered name the
 * page credits nowhere else stays the site's own (the registry does not list every host).
 */
function namesCreditedOutlet(
  name: string,
  site: string,
  credited: ReadonlySet<KnownPublisher | null>,
): boolean {
  const known = publisherForName(name);
  return known !== undefined && !ownsHost(known, site) && credited.has(known);
}

/** "Headline | Site", "Site - Headline": the short outer segments of the document title. */
function titleAffixes(title: string | null | undefined): string[] {
  if (!title) return [];
  const parts = title.split(/\s+[|\-–—·:•]\s+/).map((p) => p.trim());
  if (parts.length < 2) return [];
  const outer = [parts[parts.length - 1], parts[0]].filter((p): p is string => !!p);
  return outer.filter((p) => p.length <= 40 && p.split(/\s+/).length <= 5);
}

function hostName(site: string): string {
  return site || "unknown";
}

/** Slugs of registered names as URL sections print them: "the-wall-street-journal". */
const BY_SLUG = new Map<string, KnownPublisher>();
for (const publisher of KNOWN_PUBLISHERS) {
  for (const credit of publisher.credits) {
    const slug = credit
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
    if (slug.length >= 5 && !BY_SLUG.has(slug)) BY_SLUG.set(slug, publisher);
  }
}

/** A section of the path, not the story's own slug, naming a registered partner. */
function urlSectionCredits(url: string | null): Credit[] {
  if (!url) return [];
  let segments: string[];
  try {
    segments = new URL(url).pathname.split("/").filter(Boolean);
  } catch {
    return [];
  }
  const out: Credit[] = [];
  for (const segment of segments.slice(0, -1)) {
    const known = BY_SLUG.get(segment.toLowerCase());
    if (known && !out.some((c) => c.known === known)) out.push({ known, name: known.name });
  }
  return out;
}

interface Candidate {
  credit: Credit;
  evidence: string;
}

/** Every outlet the page credits, with how. */
function creditedCandidates(input: ProvenanceInput, upstreamUrl: string | null): Candidate[] {
  const out: Candidate[] = [];
  const push = (credit: Credit | null, evidence: string) => {
    if (credit) out.push({ credit, evidence });
  };
  const named = (name: string): Credit => {
    const known = publisherForName(name) ?? null;
    return { known, name: known?.name ?? name };
  };
  push(datelineCredit(input.bodyText), "dateline");
  push(signOffCredit(input.bodyText), "sign-off");
  for (const byline of input.bylines ?? []) for (const c of bylineCredits(byline)) push(c, "byline");
  // The outlet a byline block prints in an element of its own: the element says it is an outlet.
  for (const name of input.page?.bylineOutlets ?? []) {
    const known = publisherForCredit(name);
    push(known ? { known, name: known.name } : outletNamed(name), "byline");
  }
  const jsonLd = input.jsonLd;
  for (const author of jsonLd?.authors ?? [])
    for (const c of bylineCredits(author)) push(c, "json-ld:author");
  for (const name of jsonLd?.sourceOrganizations ?? []) push(named(name), "json-ld:sourceOrganization");
  for (const b of jsonLd?.basedOn ?? []) {
    if (b.name && b.url !== upstreamUrl) push(named(b.name), "json-ld:isBasedOn");
  }
  const declared = jsonLd?.publisher ? publisherForName(jsonLd.publisher) : undefined;
  if (declared) push({ known: declared, name: declared.name }, "json-ld:publisher");
  for (const name of input.page?.microdataPublishers ?? []) {
    const known = publisherForName(name);
    if (known) push({ known, name: known.name }, "microdata:publisher");
  }
  for (const c of [...urlSectionCredits(input.url), ...urlSectionCredits(upstreamUrl)])
    push(c, "url-section");
  // A known name alone at the head or foot of the story is its credit line; elsewhere on the
  // page it may be a label of something else, and weighs less.
  for (const line of input.creditLines) {
    const known = publisherForCredit(line);
    push(known ? { known, name: known.name } : null, "credit-line");
  }
  const lines = input.page?.lines ?? [];
  for (const line of lines) {
    const found = lineCredit(line);
    if (found) push(found.credit, found.evidence);
  }
  // "Adapted from its original source" beside "Copyright © 2019 Press TV": the holder is the source.
  if (lines.some(saysRepublishedUnnamed)) {
    for (const line of lines) push(copyrightHolder(line), "republished-line");
  }
  return out;
}

function entryMatches(entry: ChainEntry, credit: Credit, site: string | null): boolean {
  if (credit.known && entry.known) return credit.known === entry.known;
  if (credit.known && site) return ownsHost(credit.known, site);
  return entry.name !== null && creditIdentity({ known: null, name: entry.name }) === creditIdentity(credit);
}

export function detectProvenance(input: ProvenanceInput): Provenance[] {
  const site = siteOf(input.url);
  const ownKnown = publisherForHost(site) ?? null;
  const original = input.originalUrls.find((u) => siteOf(u) !== site);
  const mirrored = mirroredOriginal(input, original);
  // Printing another site's URL as "Original URL:", or keeping it in the path, is what an
  // aggregator's copy does.
  const isAggregator =
    input.rule?.role === "aggregator" ||
    ownKnown?.kind === "aggregator" ||
    original !== undefined ||
    mirrored !== null;

  const upstream = upstreamOf(input, original, mirrored);
  const candidates = creditedCandidates(input, upstream?.url ?? null);
  // Outlets the page credits for the story (a dateline, a byline…), not only declares or names.
  const credited = new Set(
    candidates.filter((c) => c.credit.known && (WEIGHTS[c.evidence] ?? 1) >= 2).map((c) => c.credit.known),
  );
  const self = selfEntry(input, site, ownKnown, isAggregator, upstream, credited);
  if (upstream && isAggregator) describeCopiedMetadata(input, site, upstream, self);

  const groups = new Map<string, ChainEntry>();
  for (const { credit, evidence } of candidates) {
    if (entryMatches(self, credit, site) || (!credit.known && namesSite(credit.name, site))) {
      addEvidence(self, [evidence]);
      continue;
    }
    if (upstream && entryMatches(upstream, credit, upstream.url ? siteOf(upstream.url) : null)) {
      upstream.name ??= credit.name;
      upstream.known ??= credit.known;
      addEvidence(upstream, [evidence]);
      continue;
    }
    const key = creditIdentity(credit);
    const group = groups.get(key) ?? { name: credit.name, url: null, known: credit.known, evidence: [] };
    addEvidence(group, [evidence]);
    groups.set(key, group);
  }
  const origin = heaviest([...groups.values()], isAggregator ? 1 : ORIGIN_MIN_WEIGHT);

  const chain = [origin, upstream && !sameOutlet(upstream, self) ? upstream : null, self].filter(
    (entry): entry is ChainEntry => entry !== null,
  );
  return chain.map((entry, index) => {
    const last = index === chain.length - 1;
    let role: Provenance["role"];
    if (last && isAggregator && chain.length > 1) role = "aggregator";
    else if (index === 0) role = "origin";
    else role = "syndicator";
    return { role, name: entry.name, url: entry.url, evidence: entry.evidence };
  });
}

function sameOutlet(a: ChainEntry, b: ChainEntry): boolean {
  if (a.known && b.known) return a.known === b.known;
  if (a.url && b.url && siteOf(a.url) === siteOf(b.url)) return true;
  return a.name !== null && b.name !== null && creditKey(a.name) === creditKey(b.name);
}

function weightOf(entry: ChainEntry): number {
  return entry.evidence.reduce((sum, e) => sum + (WEIGHTS[e] ?? 1), 0);
}

/** The most credited outlet, first credited on a tie. */
function heaviest(entries: ChainEntry[], minimum: number): ChainEntry | null {
  let best: ChainEntry | null = null;
  for (const entry of entries) {
    if (weightOf(entry) >= minimum && (!best || weightOf(entry) > weightOf(best))) best = entry;
  }
  return best;
}

/** The copy this one was taken from, by the strongest evidence the page gives. */
function upstreamOf(
  input: ProvenanceInput,
  original: string | undefined,
  mirrored: string | null,
): ChainEntry | null {
  const site = siteOf(input.url);
  const entryFor = (url: string, evidence: string[], name: string | null = null): ChainEntry => {
    const known = publisherForHost(siteOf(url)) ?? null;
    return { name: known?.name ?? name, url, known, evidence };
  };
  if (original) {
    const evidence = ["original-url-line"];
    if (mirrored && siteOf(mirrored) === siteOf(original)) evidence.push("url-path");
    return entryFor(original, evidence);
  }
  if (mirrored) return entryFor(mirrored, ["url-path"]);
  const foreign = input.foreignCanonical;
  if (foreign) return entryFor(foreign.url, [foreign.evidence]);
  const basedOn = input.jsonLd?.basedOn.find((b) => b.url && siteOf(b.url) !== site);
  if (basedOn?.url) return entryFor(basedOn.url, ["json-ld:isBasedOn"], basedOn.name);
  return null;
}

/**
 * This page's own entry. Its name is the site's: the rule's; the cascade's publisher unless that
 * names another registered outlet (a wire's JSON-LD copied onto a hosting site) or, on an
 * aggregator's copy, the copy it mirrors (a mirror copies the syndicator's og:site_name and
 * JSON-LD); the registry's for its host; then the masthead, the title's site affix, the host.
 */
function selfEntry(
  input: ProvenanceInput,
  site: string,
  ownKnown: KnownPublisher | null,
  isAggregator: boolean,
  upstream: ChainEntry | null,
  credited: ReadonlySet<KnownPublisher | null>,
): ChainEntry {
  const entry = (name: string, evidence: string[]): ChainEntry => ({
    name,
    url: input.url,
    known: ownKnown ?? publisherForName(name) ?? null,
    evidence: ["page", ...evidence],
  });
  if (input.rule?.publisher) return entry(input.rule.publisher, []);
  const upstreamName = upstream?.name ?? null;
  // A mirror's declared names are the mirrored copy's; a syndicated copy's are its own.
  const upstreamNames = (name: string) =>
    isAggregator &&
    ((upstreamName !== null && creditKey(name) === creditKey(upstreamName)) ||
      (upstream?.url ? namesSite(name, siteOf(upstream.url)) : false));
  // The site's own og:site_name naming the credited outlet says this is that outlet's site.
  const declaredSite = input.page?.siteName ? publisherForName(input.page.siteName) : undefined;
  const usable = (name: string | null | undefined): name is string =>
    !!name &&
    !(namesCreditedOutlet(name, site, credited) && publisherForName(name) !== declaredSite) &&
    !upstreamNames(name);
  const page = input.page;
  if (usable(input.publisher)) return entry(input.publisher, []);
  if (ownKnown) return entry(ownKnown.name, []);
  if (usable(page?.siteName)) return entry(page.siteName, ["og:site_name"]);
  for (const name of page?.mastheads ?? []) if (usable(name)) return entry(name, ["masthead"]);
  for (const name of titleAffixes(page?.documentTitle)) if (usable(name)) return entry(name, ["title"]);
  return entry(hostName(site), ["host"]);
}

/**
 * On an aggregator's copy, the declared publisher names that are not the aggregator's own
 * describe the copy it mirrors: they name the upstream entry when the registry does not.
 */
function describeCopiedMetadata(
  input: ProvenanceInput,
  site: string,
  upstream: ChainEntry,
  self: ChainEntry,
): void {
  const declared: [string | null | undefined, string][] = [
    [input.page?.siteName, "og:site_name"],
    [input.jsonLd?.publisher, "json-ld:publisher"],
    [input.publisher, "publisher"],
  ];
  const upstreamSite = upstream.url ? siteOf(upstream.url) : null;
  for (const [name, evidence] of declared) {
    if (!name || (self.name && creditKey(name) === creditKey(self.name)) || namesSite(name, site)) continue;
    const known = publisherForName(name);
    if (known && upstreamSite && !ownsHost(known, upstreamSite)) continue;
    if (!upstream.name) upstream.name = known?.name ?? name;
    if (
      upstream.name &&
      creditKey(upstream.name) === creditKey(known?.name ?? name) &&
      evidence !== "publisher"
    )
      addEvidence(upstream, [evidence]);
  }
}
