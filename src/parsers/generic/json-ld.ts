import { decodeHTML } from "entities";

/**
 * The page's own structured description of the article (schema.org JSON-LD). Publishers fill it
 * for search engines, so it is usually the most reliable source of authors, dates, publisher,
 * paywall and syndication facts. Malformed blocks are skipped, never fatal.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const ARTICLE_TYPES = new Set([
  "article",
  "newsarticle",
  "reportagenewsarticle",
  "analysisnewsarticle",
  "opinionnewsarticle",
  "backgroundnewsarticle",
  "reviewnewsarticle",
  "askpublicnewsarticle",
  "blogposting",
  "liveblogposting",
  "socialmediaposting",
  "report",
  "scholarlyarticle",
  "techarticle",
]);

/** Whether the node the JSON-LD describes the page by is typed as an article (not only as a web page). */
export function declaresArticle(jsonLd: JsonLdArticle | null): boolean {
  return jsonLd !== null && ARTICLE_TYPES.has(jsonLd.type.toLowerCase());
}

const SITE_TYPES = new Set(["website", "organization", "newsmediaorganization", "corporation"]);

export interface JsonLdImage {
  url: string;
  caption: string | null;
  credit: string | null;
}

export interface JsonLdArticle {
  type: string;
  headline: string | null;
  description: string | null;
  /** The full text as the publisher declares it, when it does. */
  articleBody: string | null;
  authors: string[];
  datePublished: string | null;
  dateModified: string | null;
  publisher: string | null;
  /** Authors the JSON-LD types as organisations: credits, not people. */
  organizationAuthors: string[];
  /** Names of the WebSite and Organization nodes beside the article (the site's own, usually). */
  siteNames: string[];
  /** datePublished of every node (a WebPage or a second Article block may carry the time the first lacks). */
  allDatesPublished: string[];
  section: string | null;
  keywords: string[];
  language: string | null;
  url: string | null;
  images: JsonLdImage[];
  isAccessibleForFree: boolean | null;
  /** Syndication: the work this one is based on, and the organisations named as its source. */
  basedOn: { url: string | null; name: string | null }[];
  sourceOrganizations: string[];
  /** True when the article declares a paywalled part (hasPart with isAccessibleForFree false). */
  hasPaywalledPart: boolean;
  paywalledSelectors: string[];
}

export function readJsonLdBlocks(document: Document): JsonObject[] {
  const nodes: JsonObject[] = [];
  for (const script of Array.from(document.querySelectorAll('script[type="application/ld+json" i]'))) {
    const raw = (script.textContent ?? "").trim();
    if (!raw) continue;
    let parsed: Json;
    try {
      parsed = JSON.parse(raw.replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, "")) as Json;
    } catch {
      try {
        // Control characters inside strings are the commonest publisher mistake.
        // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
        parsed = JSON.parse(raw.replace(/[\u0000-\u001f]+/g, " ")) as Json;
      } catch {
        continue;
      }
    }
    collectNodes(parsed, nodes);
  }
  return nodes;
}

/** Nodes nested deeper than this in arrays and @graph are not read (no real page nests past a few). */
const MAX_NESTING = 16;

/** Every object at the top of a block or inside its arrays and @graph, without recursion. */
function collectNodes(value: Json, into: JsonObject[]): void {
  const pending: [Json, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop() as [Json, number];
    if (depth > MAX_NESTING) continue;
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push([item[i] as Json, depth + 1]);
      continue;
    }
    if (!isObject(item)) continue;
    into.push(item);
    const graph = item["@graph"];
    if (graph !== undefined) pending.push([graph, depth + 1]);
  }
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typesOf(node: JsonObject): string[] {
  const type = node["@type"];
  const list = Array.isArray(type) ? type : [type];
  return list.filter((t): t is string => typeof t === "string").map((t) => t.toLowerCase());
}

function text(value: Json | undefined, depth = 0): string | null {
  // JSON strings carry HTML entities literally ("&quot;", "&#039;") when a CMS escaped them first.
  if (typeof value === "string") return decodeHTML(value).trim() || null;
  if (typeof value === "number") return String(value);
  if (depth >= MAX_NESTING) return null;
  if (Array.isArray(value)) return text(value[0], depth + 1);
  if (isObject(value)) return text(value.name ?? value["@value"] ?? value.text, depth + 1);
  return null;
}

function list(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function names(value: Json | undefined, byId: Map<string, JsonObject>): string[] {
  const out: string[] = [];
  for (const item of list(value)) {
    const node =
      isObject(item) && typeof item["@id"] === "string" && !item.name ? byId.get(item["@id"]) : item;
    const name = isObject(node) ? text(node.name) : text(node as Json);
    if (name) out.push(name);
  }
  return out;
}

/** Names of the items typed as an Organization (or one of its kinds). */
function organizations(value: Json | undefined, byId: Map<string, JsonObject>): string[] {
  const out: string[] = [];
  for (const item of list(value)) {
    const node = isObject(item) && typeof item["@id"] === "string" ? (byId.get(item["@id"]) ?? item) : item;
    if (!isObject(node) || !typesOf(node).some((t) => t.endsWith("organization") || t === "corporation"))
      continue;
    const name = text(node.name);
    if (name) out.push(name);
  }
  return out;
}

function urlOf(value: Json | undefined, depth = 0): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (depth >= MAX_NESTING) return null;
  if (Array.isArray(value)) return urlOf(value[0], depth + 1);
  if (isObject(value)) {
    const candidate = value.url ?? value["@id"] ?? value.contentUrl;
    return typeof candidate === "string" ? candidate.trim() || null : urlOf(candidate, depth + 1);
  }
  return null;
}

function bool(value: Json | undefined): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (v === "true" || v === "https://schema.org/true" || v === "http://schema.org/true") return true;
    if (v === "false" || v === "https://schema.org/false" || v === "http://schema.org/false") return false;
  }
  return null;
}

function images(value: Json | undefined, byId: Map<string, JsonObject>): JsonLdImage[] {
  const out: JsonLdImage[] = [];
  for (const item of list(value)) {
    const node =
      isObject(item) && typeof item["@id"] === "string" && !item.url ? (byId.get(item["@id"]) ?? item) : item;
    const url = urlOf(node);
    if (!url) continue;
    out.push({
      url,
      caption: isObject(node) ? text(node.caption ?? node.description) : null,
      credit: isObject(node) ? text(node.creditText ?? node.copyrightHolder ?? node.author) : null,
    });
  }
  return out;
}

/** Picks the article node among all JSON-LD nodes (the one with the longest body, if several). */
export function findJsonLdArticle(nodes: JsonObject[]): JsonLdArticle | null {
  const byId = new Map<string, JsonObject>();
  for (const node of nodes) if (typeof node["@id"] === "string") byId.set(node["@id"], node);

  let articles = nodes.filter((node) => typesOf(node).some((t) => ARTICLE_TYPES.has(t)));
  // A page typed only as a WebPage (a MedicalWebPage, a Yoast graph whose Article block is broken)
  // still describes the one document: its dates and headline are the article's.
  const pageOnly = articles.length === 0;
  if (pageOnly) articles = nodes.filter(isDocumentPage);
  if (articles.length === 0) return null;
  const scored = articles.map((node) => ({
    node,
    weight: (text(node.articleBody)?.length ?? 0) + (node.headline ? 1 : 0),
  }));
  scored.sort((a, b) => b.weight - a.weight);
  const node = scored[0]?.node;
  if (!node) return null;

  const keywords = list(node.keywords).flatMap((k) => (typeof k === "string" ? k.split(/\s*,\s*/) : []));
  const hasPart = list(node.hasPart).filter(isObject);
  const paywalledParts = hasPart.filter((part) => bool(part.isAccessibleForFree) === false);
  const basedOn = list(node.isBasedOn ?? node.isBasedOnUrl).map((item) => ({
    url: urlOf(item),
    name: isObject(item) ? (text(item.publisher) ?? text(item.sourceOrganization)) : null,
  }));

  return {
    type: typesOf(node).find((t) => ARTICLE_TYPES.has(t)) ?? typesOf(node)[0] ?? "article",
    headline: text(node.headline) ?? text(node.name),
    description: text(node.description) ?? text(node.abstract),
    articleBody: typeof node.articleBody === "string" ? node.articleBody.trim() || null : null,
    // A page node's author is the account that owns the page (Yoast's), not a byline.
    authors: pageOnly ? [] : names(node.author ?? node.creator, byId),
    datePublished: text(node.datePublished) ?? text(node.dateCreated),
    dateModified: text(node.dateModified),
    publisher: names(node.publisher, byId)[0] ?? null,
    organizationAuthors: pageOnly ? [] : organizations(node.author ?? node.creator, byId),
    siteNames: nodes
      .filter((other) => typesOf(other).some((t) => SITE_TYPES.has(t)))
      .map((other) => text(other.name))
      .filter((name): name is string => name !== null),
    allDatesPublished: nodes
      .map((other) => text(other.datePublished))
      .filter((date): date is string => date !== null),
    section: text(node.articleSection),
    keywords: keywords.map((k) => k.trim()).filter(Boolean),
    language: text(node.inLanguage),
    url: urlOf(node.mainEntityOfPage) ?? urlOf(node.url),
    images: images(node.image ?? node.thumbnailUrl, byId),
    isAccessibleForFree: bool(node.isAccessibleForFree),
    basedOn: basedOn.filter((b) => b.url || b.name),
    sourceOrganizations: [...names(node.sourceOrganization, byId), ...names(node.provider, byId)],
    hasPaywalledPart: paywalledParts.length > 0,
    paywalledSelectors: paywalledParts.map((part) => text(part.cssSelector)).filter((s): s is string => !!s),
  };
}

/** A node typed as a single web page (WebPage, MedicalWebPage, ItemPage), not a listing. */
function isDocumentPage(node: JsonObject): boolean {
  const types = typesOf(node);
  return (
    types.some((t) => t.endsWith("webpage") || t === "itempage") && !types.some((t) => LISTING_TYPES.has(t))
  );
}

const LISTING_TYPES = new Set([
  "collectionpage",
  "itemlist",
  "searchresultspage",
  "website",
  "profilepage",
  "aboutpage",
]);

/** True when the page's JSON-LD describes it as a listing (a section front, search results…). */
export function declaresListingPage(nodes: JsonObject[]): boolean {
  const types = nodes.flatMap(typesOf);
  return types.some((t) => LISTING_TYPES.has(t)) && !types.some((t) => ARTICLE_TYPES.has(t));
}
