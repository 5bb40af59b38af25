import type { Provenance } from "../../domain/article.js";
import { siteOf } from "../../domain/url.js";
import type { SiteRule } from "../sites/types.js";
import type { JsonLdArticle } from "./json-ld.js";
import { publisherForCredit, publisherForHost } from "./publishers.js";

/**
 * The syndication chain of one copy, read from the page itself: who wrote the story (origin),
 * who republished it (syndicator) and who mirrored it (aggregator), each with the evidence.
 */
export interface ProvenanceInput {
  /** Canonical URL of this copy. */
  url: string;
  publisher: string | null;
  rule: SiteRule | null;
  /** rel=canonical or og:url when it points to another site. */
  foreignCanonical: { url: string; evidence: "canonical" | "og:url" } | null;
  /** URLs printed after "Original URL:" in the body. */
  originalUrls: string[];
  jsonLd: JsonLdArticle | null;
  /** Short lines at the foot of the body, such as "The Wall Street Journal". */
  creditLines: string[];
}

interface ChainEntry {
  name: string | null;
  url: string | null;
  evidence: string[];
}

function nameForUrl(url: string): string | null {
  return publisherForHost(siteOf(url))?.name ?? null;
}

/** The original URL an aggregator keeps in its own path: https://agg/www.site.com/path → https://www.site.com/path. */
export function originalFromMirroredPath(url: string): string | null {
  try {
    const { pathname, search } = new URL(url);
    const match = /^\/((?:[a-z0-9-]+\.)+[a-z]{2,})(\/.*)?$/i.exec(pathname);
    if (!match?.[1]?.includes(".")) return null;
    return new URL(`https://${match[1]}${match[2] ?? "/"}${search}`).href;
  } catch {
    return null;
  }
}

function copyEntry(entry: ChainEntry): ChainEntry {
  return { ...entry, evidence: [...entry.evidence] };
}

function sameEntry(a: ChainEntry, b: ChainEntry): boolean {
  if (a.name && b.name && a.name.toLowerCase() === b.name.toLowerCase()) return true;
  if (a.url && b.url && siteOf(a.url) === siteOf(b.url)) return true;
  return false;
}

export function detectProvenance(input: ProvenanceInput): Provenance[] {
  const self: ChainEntry = {
    name: input.publisher ?? nameForUrl(input.url),
    url: input.url,
    evidence: ["page"],
  };
  const original = input.originalUrls.find((u) => siteOf(u) !== siteOf(input.url));
  // Printing another site's URL as "Original URL:" is what an aggregator's copy does.
  const isAggregator = input.rule?.role === "aggregator" || original !== undefined;
  const basedOn = input.jsonLd?.basedOn.find((b) => b.url && siteOf(b.url) !== siteOf(input.url));
  const upstream = upstreamOf(input, original, basedOn);
  const chain = chainOf(self, upstream, creditedEntries(input, basedOn));
  return chain.map((entry, index) => {
    const last = index === chain.length - 1;
    let role: Provenance["role"];
    if (last && isAggregator) role = "aggregator";
    else if (index === 0) role = "origin";
    else role = "syndicator";
    return { role, name: entry.name, url: entry.url, evidence: entry.evidence };
  });
}

type BasedOn = JsonLdArticle["basedOn"][number];

/** The copy this one was taken from, by the strongest evidence the page gives. */
function upstreamOf(
  input: ProvenanceInput,
  original: string | undefined,
  basedOn: BasedOn | undefined,
): ChainEntry | null {
  const mirrored = input.rule?.mirrorsOriginalInPath ? originalFromMirroredPath(input.url) : null;
  if (original) {
    const evidence = ["original-url-line"];
    if (mirrored && siteOf(mirrored) === siteOf(original)) evidence.push("url-path");
    return { name: nameForUrl(original), url: original, evidence };
  }
  if (mirrored) return { name: nameForUrl(mirrored), url: mirrored, evidence: ["url-path"] };
  const foreign = input.foreignCanonical;
  if (foreign) return { name: nameForUrl(foreign.url), url: foreign.url, evidence: [foreign.evidence] };
  if (basedOn?.url) {
    return {
      name: basedOn.name ?? nameForUrl(basedOn.url),
      url: basedOn.url,
      evidence: ["json-ld:isBasedOn"],
    };
  }
  return null;
}

/** Publishers the page credits: JSON-LD source organisations and sources, and credit lines. */
function creditedEntries(input: ProvenanceInput, basedOn: BasedOn | undefined): ChainEntry[] {
  const credited: ChainEntry[] = [];
  for (const name of input.jsonLd?.sourceOrganizations ?? []) {
    credited.push({
      name: publisherForCredit(name)?.name ?? name,
      url: null,
      evidence: ["json-ld:sourceOrganization"],
    });
  }
  for (const b of input.jsonLd?.basedOn ?? []) {
    if (b.name && b !== basedOn) credited.push({ name: b.name, url: b.url, evidence: ["json-ld:isBasedOn"] });
  }
  for (const line of input.creditLines) {
    const known = publisherForCredit(line);
    if (known) credited.push({ name: known.name, url: null, evidence: ["credit-line"] });
  }
  return credited;
}

/**
 * Origin first (a credit naming someone other than this copy and its upstream), then the
 * upstream copy, then this page. A credit naming an entry already in the chain only adds evidence.
 */
function chainOf(self: ChainEntry, upstream: ChainEntry | null, credited: ChainEntry[]): ChainEntry[] {
  const chain: ChainEntry[] = [];
  const creditedOrigin = credited.find((c) => !sameEntry(c, self) && !(upstream && sameEntry(c, upstream)));
  if (creditedOrigin) chain.push(copyEntry(creditedOrigin));
  if (upstream && !sameEntry(upstream, self)) chain.push(copyEntry(upstream));
  chain.push(copyEntry(self));
  for (const credit of credited) {
    const twin = chain.find((entry) => sameEntry(entry, credit));
    if (!twin) continue;
    twin.name ??= credit.name;
    twin.url ??= credit.url;
    for (const e of credit.evidence) if (!twin.evidence.includes(e)) twin.evidence.push(e);
  }
  return chain;
}
