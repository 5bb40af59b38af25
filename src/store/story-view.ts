import type { ArticleRecord, ProvenanceRole } from "../domain/article.js";
import { siteOf } from "../domain/url.js";
import type { StoryLink, StorySource, StoryView } from "./article-store.js";
import { usToIso } from "./cursor.js";
import { canonicalOrNull, provenanceByUrl } from "./prepare.js";

/** A stored article of a story, as the backends load it for the story view. */
export interface StoryMember {
  articleId: string;
  record: ArticleRecord;
  link: StoryLink | null;
  similarity: number | null;
  firstSeenAt: string;
  updatedUs: number;
}

const ROLE_ORDER: Record<ProvenanceRole, number> = { origin: 0, syndicator: 1, aggregator: 2 };

interface Claim {
  role: ProvenanceRole;
  name: string | null;
  evidence: string[];
  /** Whether the record making the claim is the copy at that URL. */
  own: boolean;
}

/**
 * Assembles the story view from its members: roles come from what the records' provenance says
 * about each URL (a copy's word about itself first); the body from the most complete copy (the
 * longest that is not a paywall teaser); the metadata from the origin when we have it.
 */
export function buildStoryView(storyId: string, members: StoryMember[]): StoryView | null {
  if (members.length === 0) return null;
  const memberUrls = new Map<string, StoryMember>();
  for (const member of members) {
    for (const url of [member.record.url, member.record.finalUrl, member.record.requestedUrl]) {
      const canonical = canonicalOrNull(url);
      if (canonical && !memberUrls.has(canonical)) memberUrls.set(canonical, member);
    }
  }

  const claims = new Map<string, Claim[]>();
  for (const member of members) {
    for (const [url, entry] of provenanceByUrl(member.record)) {
      const own = memberUrls.get(url) === member;
      const target = memberUrls.get(url)?.record.url ?? url;
      const list = claims.get(target) ?? [];
      list.push({ ...entry, own });
      claims.set(target, list);
    }
  }

  const roles = new Map<string, ProvenanceRole>();
  for (const member of members) {
    const list = claims.get(member.record.url) ?? [];
    const claim = list.find((c) => c.own) ?? list[0];
    if (claim) roles.set(member.articleId, claim.role);
    else if (namesAnotherOrigin(member)) roles.set(member.articleId, "syndicator");
  }
  const originClaimed = [...claims.values()].some((list) => list.some((claim) => claim.role === "origin"));
  if (!originClaimed) {
    // Nobody says who published first (near-duplicates, provenance without an origin): the earliest.
    const earliest = members
      .filter((member) => !roles.has(member.articleId))
      .sort(
        (a, b) => publishedKey(a).localeCompare(publishedKey(b)) || a.articleId.localeCompare(b.articleId),
      )[0];
    if (earliest) roles.set(earliest.articleId, "origin");
  }

  const sources: StorySource[] = members.map((member) => {
    const list = claims.get(member.record.url) ?? [];
    const evidence = [...new Set(list.flatMap((claim) => claim.evidence))];
    if (member.link === "near-duplicate") evidence.push("near-duplicate");
    return {
      articleId: member.articleId,
      url: member.record.url,
      site: siteOf(member.record.url),
      role: roles.get(member.articleId) ?? "syndicator",
      name: list.find((claim) => claim.own)?.name ?? list[0]?.name ?? member.record.publisher,
      evidence,
      link: member.link,
      similarity: member.similarity,
    };
  });
  sources.sort(
    (a, b) =>
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      publishedOf(members, a).localeCompare(publishedOf(members, b)) ||
      a.url.localeCompare(b.url),
  );
  const named: StorySource[] = [];
  for (const [url, list] of claims) {
    if (members.some((member) => member.record.url === url)) continue;
    const claim = list[0] as Claim;
    named.push({
      articleId: null,
      url,
      site: siteOf(url),
      role: claim.role,
      name: list.find((c) => c.name !== null)?.name ?? null,
      evidence: [...new Set(list.flatMap((c) => c.evidence))],
      link: null,
      similarity: null,
    });
  }
  named.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.url.localeCompare(b.url));

  const all = [...sources, ...named];
  const bodySource = [...members].sort(
    (a, b) =>
      Number(a.record.paywall.truncated) - Number(b.record.paywall.truncated) ||
      b.record.body.text.length - a.record.body.text.length ||
      a.articleId.localeCompare(b.articleId),
  )[0] as StoryMember;
  const originId = sources.find((source) => source.role === "origin")?.articleId;
  const metaSource = members.find((member) => member.articleId === originId) ?? bodySource;
  const meta = metaSource.record;
  return {
    storyId,
    metadataFrom: metaSource.articleId,
    bodyFrom: bodySource.articleId,
    title: meta.title ?? firstNonNull(members, (r) => r.title),
    standfirst: meta.standfirst ?? firstNonNull(members, (r) => r.standfirst),
    byline: meta.byline ?? firstNonNull(members, (r) => r.byline),
    authors:
      meta.authors.length > 0
        ? meta.authors
        : (members.find((m) => m.record.authors.length > 0)?.record.authors ?? []),
    publishedAt: meta.publishedAt ?? firstNonNull(members, (r) => r.publishedAt),
    modifiedAt: meta.modifiedAt,
    publisher: meta.publisher,
    section: meta.section,
    language: meta.language ?? firstNonNull(members, (r) => r.language),
    body: bodySource.record.body,
    wordCount: bodySource.record.wordCount,
    sources: all,
    origin: storyOrigin(all, members),
    updatedAt: usToIso(Math.max(...members.map((member) => member.updatedUs))),
  };
}

/** Whether a copy's provenance credits another outlet as the origin: by its URL, or by name alone (a wire). */
function namesAnotherOrigin(member: StoryMember): boolean {
  const byUrl = member.record.provenance.some(
    (entry) =>
      entry.role === "origin" && entry.url !== null && canonicalOrNull(entry.url) !== member.record.url,
  );
  return byUrl || namedOnlyOrigin(member) !== null;
}

/**
 * The origin a copy names without a URL ("The Associated Press" before the hosting site), or
 * null: the detector puts the origin first, and a one-entry chain is the copy itself.
 */
function namedOnlyOrigin(member: StoryMember): { name: string | null } | null {
  const chain = member.record.provenance;
  const entry = chain[0];
  if (entry?.role !== "origin" || entry.url !== null || chain.length < 2) return null;
  return { name: entry.name };
}

/**
 * The story's origin: its origin copy when one is stored or named by URL; else the outlet the
 * copies name as their origin without a URL, the one most of them name (first named on a tie).
 */
function storyOrigin(sources: StorySource[], members: StoryMember[]): StoryView["origin"] {
  const copy = sources.find((source) => source.role === "origin");
  if (copy) return { name: copy.name, url: copy.url };
  const counts = new Map<string, { name: string; count: number }>();
  for (const member of members) {
    const name = namedOnlyOrigin(member)?.name;
    if (!name) continue;
    const key = name.toLowerCase().replace(/^the\s+/, "");
    const seen = counts.get(key) ?? { name, count: 0 };
    seen.count++;
    counts.set(key, seen);
  }
  let best: { name: string; count: number } | null = null;
  for (const named of counts.values()) if (!best || named.count > best.count) best = named;
  return best ? { name: best.name, url: null } : null;
}

function publishedKey(member: StoryMember): string {
  return member.record.publishedAt ?? member.firstSeenAt;
}

function publishedOf(members: StoryMember[], source: StorySource): string {
  const member = members.find((m) => m.articleId === source.articleId);
  return member ? publishedKey(member) : "";
}

function firstNonNull<T>(members: StoryMember[], pick: (record: ArticleRecord) => T | null): T | null {
  for (const member of members) {
    const value = pick(member.record);
    if (value !== null) return value;
  }
  return null;
}
