import { isProbablyReaderable, Readability } from "@mozilla/readability";
import {
  type ArticleRecord,
  EXTRACTOR_NAME,
  EXTRACTOR_VERSION,
  type MissableField,
  REVISION_FIELDS,
} from "../domain/article.js";
import { CopydeskError } from "../domain/errors.js";
import type { ParsePageInput } from "../domain/page.js";
import { articleIdFor, canonicalizeUrl, parseHttpUrl, sha256Hex, siteOf } from "../domain/url.js";
import { type DomEngine, openDocument } from "./engine/dom.js";
import {
  absoluteUrl,
  buildImageList,
  type CaptionedImage,
  collectCaptions,
  resolveLazyImages,
} from "./engine/images.js";
import { indexByName } from "./engine/name-index.js";
import { removeAll, removeBodyNoise, removeBoilerplate, removeHeaderEchoes } from "./engine/noise.js";
import { precleanHtml } from "./engine/preclean.js";
import { queryAll, queryFirst } from "./engine/query.js";
import { sanitizeBodyHtml } from "./engine/sanitize.js";
import { blockText, countWords, inlineText, visibleText } from "./engine/text.js";
import { cleanAuthorNames, tidyByline } from "./generic/authors.js";
import { toIsoUtc } from "./generic/dates.js";
import {
  declaresListingPage,
  findJsonLdArticle,
  type JsonLdArticle,
  readJsonLdBlocks,
} from "./generic/json-ld.js";
import { firstMeta, readMetaTags } from "./generic/meta-tags.js";
import {
  type GenericMetadata,
  type ReadabilityResult,
  readDocumentFacts,
  readGenericMetadata,
} from "./generic/metadata.js";
import { paywallVerdict, readPaywallSignals, removePaywallPrompts } from "./generic/paywall.js";
import { detectProvenance } from "./generic/provenance.js";
import { publisherForCredit, publisherForHost } from "./generic/publishers.js";
import { findSiteRule } from "./sites/index.js";
import type { RuleField, SiteRule } from "./sites/types.js";

export type { ParsePageInput };

export interface ParsePageOptions {
  /** DOM implementation; linkedom by default (see docs/BENCHMARKS.md), jsdom is the reference. */
  engine?: DomEngine;
  /**
   * When false, fields a site rule covers come from the rule alone, so a broken selector fails a
   * fixture instead of being hidden by the generic extractor. Default true.
   */
  genericFallback?: boolean;
  /** Clock for `extractedAt` (tests pin it). */
  now?: () => Date;
}

/** A "boilerplate" element holding more than this share of the page's text is the page itself. */
const BOILERPLATE_MAX_SHARE = 0.3;
/** A body shorter than this is not an article (an index page, an error page, a teaser-less stub). */
const MIN_ARTICLE_WORDS = 25;
/** Without any sign of an article (JSON-LD, og:type, microdata, readable prose), a body needs this many words. */
const UNSIGNALLED_MIN_WORDS = 50;
/** Share of body text inside links above which the "body" is a list of links, not a story. */
const MAX_LINK_DENSITY = 0.5;

/**
 * From one HTML page to one canonical article record. Pure: no I/O; a page that is not an article
 * gives a record with `missing` and `warnings` filled, not an exception.
 */
export function parsePage(input: ParsePageInput, options: ParsePageOptions = {}): ArticleRecord {
  if (typeof input.html !== "string") throw new CopydeskError("INPUT_INVALID", "html must be a string");
  const finalUrl = parseHttpUrl(input.finalUrl ?? input.url).href;
  const requestedUrl = parseHttpUrl(input.requestedUrl ?? input.url).href;
  const fetchedAt = toIsoUtc(input.fetchedAt);
  if (!fetchedAt) throw new CopydeskError("INPUT_INVALID", `fetchedAt is not a date: ${input.fetchedAt}`);
  const extractedAt = (options.now?.() ?? new Date()).toISOString();
  const engine = options.engine ?? "linkedom";
  const fallback = options.genericFallback ?? true;

  const { document, close } = openDocument(precleanHtml(input.html), finalUrl, engine);
  try {
    return extract({
      document,
      finalUrl,
      requestedUrl,
      fetchedAt,
      extractedAt,
      fallback,
      printedOriginalUrls: printedOriginalUrls(input.html),
    });
  } finally {
    close();
  }
}

interface ExtractContext {
  document: Document;
  finalUrl: string;
  requestedUrl: string;
  fetchedAt: string;
  extractedAt: string;
  fallback: boolean;
  printedOriginalUrls: string[];
}

function extract(ctx: ExtractContext): ArticleRecord {
  const { document, finalUrl, fetchedAt } = ctx;
  const warnings: string[] = [];
  const meta = readMetaTags(document);
  const jsonLdNodes = readJsonLdBlocks(document);
  const jsonLd = findJsonLdArticle(jsonLdNodes);
  const matched = findSiteRule(finalUrl, fetchedAt);
  const rule = matched?.rule ?? null;

  // Everything that cleaning would destroy is read first.
  const names = indexByName(document.documentElement);
  const paywallSignals = readPaywallSignals(document, rule, names);
  const ruleValues = rule ? readRuleFields(document, rule) : {};
  const readerable = isProbablyReaderable(document);
  const facts = readDocumentFacts(document, names);
  const articleMicrodata = document.querySelector("[itemprop=articleBody], [itemtype*=Article]") !== null;
  const ogType = firstMeta(meta, "og:type");
  resolveLazyImages(document, finalUrl);
  const captions = collectCaptions(document, finalUrl);

  if (rule?.clean) removeAll(document, rule.clean);
  removePaywallPrompts(document, rule, names);
  if (document.body) removeBoilerplate(document.body, BOILERPLATE_MAX_SHARE);

  const ruleBody = rule?.body ? findRuleBody(document, rule.body) : null;
  // Readability rearranges the document, so the declared body container is copied first.
  const declaredContainer = ruleBody
    ? null
    : ((document.querySelector("[itemprop=articleBody]")?.cloneNode(true) as Element | null) ?? null);
  let readability: ReadabilityResult | null = null;
  let content: Element | null = ruleBody;
  if (!content) {
    readability = new Readability<Element>(document, {
      serializer: (node) => node as Element,
      // Classes tell a dek from a paragraph after extraction; the sanitiser drops them anyway.
      keepClasses: true,
    }).parse();
    content = readability?.content ?? null;
    // The page's own microdata marks the story body; when the scorer kept much less, trust it.
    if (
      declaredContainer &&
      countWords(inlineText(declaredContainer)) > 1.5 * countWords(inlineText(content))
    ) {
      content = declaredContainer;
    }
  }

  const generic = readGenericMetadata({ facts, meta, jsonLd, readability });
  const noise = content ? removeBodyNoise(content) : { originalUrls: [] };
  if (content) {
    removeHeaderEchoes(content, {
      title: ruleValues.title ?? generic.title,
      standfirst: ruleValues.standfirst ?? generic.standfirst,
      byline: ruleValues.byline ?? generic.byline,
      section: ruleValues.section ?? generic.section,
    });
  }
  const creditLines = content ? removeCreditLines(content) : [];
  if (content) removeRepeatedCaptions(content, captions);

  let text = content ? blockText(content, { skipCaptions: true }) : "";
  let words = countWords(text);
  let linkDensity = content ? linkTextShare(content) : 0;
  let bodyHtml = content ? sanitizeBodyHtml(content.outerHTML) : "";
  const declared = declaredBody(jsonLd, paywallSignals.ruleMarker || paywallSignals.prompt);
  if (declared && declared.words > Math.max(words * 1.5, MIN_ARTICLE_WORDS)) {
    warnings.push(
      `body taken from the page's JSON-LD articleBody (${declared.words} words; the page showed ${words})`,
    );
    ({ text, words, html: bodyHtml } = declared);
    linkDensity = 0;
  }
  const declaredListing =
    !jsonLd && ogType !== null && ogType !== "article" && declaresListingPage(jsonLdNodes);
  const looksLikeArticle =
    !declaredListing && (Boolean(jsonLd) || articleMicrodata || ogType === "article" || readerable);
  const isArticle = !(
    words < MIN_ARTICLE_WORDS ||
    linkDensity > MAX_LINK_DENSITY ||
    declaredListing ||
    (!looksLikeArticle && words < UNSIGNALLED_MIN_WORDS)
  );
  if (!isArticle) {
    warnings.push(
      declaredListing
        ? `not an article: the page declares itself a listing (og:type ${ogType})`
        : `not an article: ${words} words of body text${linkDensity > MAX_LINK_DENSITY ? `, ${Math.round(linkDensity * 100)}% of it links` : ""}`,
    );
    text = "";
    words = 0;
    bodyHtml = "";
  }
  const bodyImages: CaptionedImage[] = content && words > 0 ? imagesIn(content, finalUrl) : [];

  const pick = <T>(field: RuleField, ruleValue: T | undefined, genericValue: T): T => {
    if (rule?.fields[field] && (ruleValue !== undefined || !ctx.fallback)) return (ruleValue ?? null) as T;
    return genericValue;
  };
  const title = pick("title", ruleValues.title, generic.title);
  const standfirst = pick("standfirst", ruleValues.standfirst, generic.standfirst);
  // A listing's bylines, images and links belong to the stories it lists, not to the page.
  const byline = isArticle ? tidyByline(pick("byline", ruleValues.byline, generic.byline)) : null;
  const authorSources = ruleValues.byline !== undefined ? [ruleValues.byline] : generic.authorNames;
  const authors = isArticle
    ? cleanAuthorNames(authorSources.length ? authorSources : byline ? [byline] : [])
    : [];
  const publishedAtRaw = isArticle ? pick("publishedAt", ruleValues.publishedAt, generic.publishedRaw) : null;
  const modifiedAtRaw = isArticle ? pick("modifiedAt", ruleValues.modifiedAt, generic.modifiedRaw) : null;
  const publishedAt = toIsoUtc(publishedAtRaw, { notAfter: fetchedAt });
  const modifiedAt = toIsoUtc(modifiedAtRaw, { notAfter: fetchedAt });
  if (publishedAtRaw && !publishedAt) warnings.push(`unreadable publication date: ${publishedAtRaw}`);
  const section = pick("section", ruleValues.section, generic.section);
  const tags = pick("tags", ruleValues.tagList, generic.tags) ?? [];
  const publisher = rule?.publisher ?? generic.publisher ?? publisherForHost(siteOf(finalUrl))?.name ?? null;

  const url = canonicalUrlFor(finalUrl, generic);
  const provenance = !isArticle
    ? []
    : detectProvenance({
        url,
        publisher,
        rule,
        foreignCanonical: foreignCanonical(finalUrl, generic),
        originalUrls: [...noise.originalUrls, ...ctx.printedOriginalUrls]
          .map((u) => absoluteUrl(u, finalUrl))
          .filter((u): u is string => !!u),
        jsonLd,
        creditLines,
      });

  const leadUrl = generic.leadImage ? absoluteUrl(generic.leadImage.url, finalUrl) : null;
  const images = !isArticle
    ? []
    : buildImageList({
        body: bodyImages,
        lead: leadUrl && generic.leadImage ? { ...generic.leadImage, url: leadUrl } : null,
        captions,
      });

  const direction = textDirection(facts.dir, readability, generic.language);
  const record: ArticleRecord = {
    id: articleIdFor(url),
    url,
    requestedUrl: ctx.requestedUrl,
    finalUrl,
    title,
    standfirst,
    byline,
    authors,
    publishedAt,
    publishedAtRaw: publishedAtRaw ?? null,
    modifiedAt,
    modifiedAtRaw: modifiedAtRaw ?? null,
    publisher,
    section,
    tags,
    language: generic.language,
    direction: words > 0 || title ? direction : null,
    body: { html: bodyHtml, text },
    wordCount: words,
    images,
    provenance,
    paywall: paywallVerdict(paywallSignals, jsonLd, words),
    contentHash: "",
    extractor: { name: EXTRACTOR_NAME, version: EXTRACTOR_VERSION, rule: matched?.id ?? null },
    fetchedAt,
    extractedAt: ctx.extractedAt,
    missing: [],
    warnings,
  };
  record.missing = missingFields(record);
  record.contentHash = contentHashOf(record);
  return record;
}

/**
 * The full text a page declares in JSON-LD, used when the DOM gave us much less. Never for a
 * page that shows a paywall or declares itself paid: that text is for search engines, and
 * taking it would be getting round the paywall.
 */
function declaredBody(
  jsonLd: JsonLdArticle | null,
  paywallShown: boolean,
): { text: string; words: number; html: string } | null {
  const body = jsonLd?.articleBody;
  if (!body || paywallShown || jsonLd.isAccessibleForFree === false || jsonLd.hasPaywalledPart) return null;
  if (/<[a-z!/]/i.test(body)) return null; // HTML in a JSON string: too unreliable to trust
  const paragraphs = body
    .split(/\n+/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  const text = paragraphs.join("\n\n");
  const html = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n");
  return { text, words: countWords(text), html };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const ORIGINAL_URL_LINE = /Original\s+URL\s*:\s*(?:<[^>]*>\s*)*(https?:\/\/[^\s<>"']+)/gi;

/**
 * "Original URL:" lines anywhere in the page, read from the markup itself: an aggregator may print
 * the line where the body extractor does not look (a footer, a short paragraph it drops).
 */
function printedOriginalUrls(html: string): string[] {
  return [...html.matchAll(ORIGINAL_URL_LINE)]
    .map((m) => (m[1] ?? "").replace(/&amp;/g, "&"))
    .filter(Boolean);
}

/** sha256 over the fields whose change makes a new revision. */
export function contentHashOf(record: ArticleRecord): string {
  const covered: Record<string, unknown> = {};
  for (const field of REVISION_FIELDS) covered[field] = field === "body" ? record.body.text : record[field];
  return sha256Hex(JSON.stringify(covered));
}

function missingFields(record: ArticleRecord): MissableField[] {
  const missing: MissableField[] = [];
  const empty = (v: unknown) => v === null || v === "" || (Array.isArray(v) && v.length === 0);
  if (empty(record.title)) missing.push("title");
  if (empty(record.standfirst)) missing.push("standfirst");
  if (empty(record.byline)) missing.push("byline");
  if (empty(record.authors)) missing.push("authors");
  if (empty(record.publishedAt)) missing.push("publishedAt");
  if (empty(record.modifiedAt)) missing.push("modifiedAt");
  if (empty(record.publisher)) missing.push("publisher");
  if (empty(record.section)) missing.push("section");
  if (empty(record.tags)) missing.push("tags");
  if (empty(record.language)) missing.push("language");
  if (empty(record.body.text)) missing.push("body");
  if (empty(record.images)) missing.push("images");
  return missing;
}

interface RuleValues {
  title?: string;
  standfirst?: string;
  byline?: string;
  publishedAt?: string;
  modifiedAt?: string;
  section?: string;
  tagList?: string[];
}

function readRuleFields(document: Document, rule: SiteRule): RuleValues {
  const values: RuleValues = {};
  for (const [field, fieldRule] of Object.entries(rule.fields) as [
    RuleField,
    SiteRule["fields"][RuleField],
  ][]) {
    if (!fieldRule) continue;
    const found: string[] = [];
    for (const selector of fieldRule.selectors) {
      for (const node of queryAll(document, selector)) {
        const value = fieldRule.attribute ? attributeOf(node, fieldRule.attribute) : visibleText(node);
        if (value) found.push(value);
      }
      if (found.length) break;
    }
    if (!found.length) continue;
    if (field === "tags") values.tagList = [...new Set(found)];
    else values[field] = found[0];
  }
  return values;
}

/** HTML attribute names are case-insensitive; not every DOM lower-cases them ("dateTime"). */
function attributeOf(node: Element, name: string): string | undefined {
  const direct = node.getAttribute(name);
  if (direct !== null) return direct.trim();
  const lower = name.toLowerCase();
  for (const attr of Array.from(node.attributes))
    if (attr.name.toLowerCase() === lower) return attr.value.trim();
  return undefined;
}

function findRuleBody(document: Document, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const node = queryFirst(document, selector);
    if (node && inlineText(node)) return node;
  }
  return null;
}

/** The page's canonical URL when it names this same site; otherwise our own final URL. */
function canonicalUrlFor(finalUrl: string, generic: GenericMetadata): string {
  for (const candidate of [generic.canonical, generic.ogUrl]) {
    const absolute = absoluteUrl(candidate, finalUrl);
    if (absolute && /^https?:/.test(absolute) && siteOf(absolute) === siteOf(finalUrl))
      return canonicalizeUrl(absolute);
  }
  return canonicalizeUrl(finalUrl);
}

function foreignCanonical(
  finalUrl: string,
  generic: GenericMetadata,
): { url: string; evidence: "canonical" | "og:url" } | null {
  const canonical = absoluteUrl(generic.canonical, finalUrl);
  if (canonical && siteOf(canonical) !== siteOf(finalUrl))
    return { url: canonicalizeUrl(canonical), evidence: "canonical" };
  const og = absoluteUrl(generic.ogUrl, finalUrl);
  if (og && siteOf(og) !== siteOf(finalUrl)) return { url: canonicalizeUrl(og), evidence: "og:url" };
  return null;
}

/**
 * Credit lines at the head or foot of a body ("The Wall Street Journal"): provenance, not story.
 * Returned in reading order.
 */
function removeCreditLines(content: Element): string[] {
  const credits: string[] = [];
  for (let i = 0; i < 4; i++) {
    const blocks = Array.from(content.querySelectorAll("p, div, span, em, strong, h5, h6")).filter(
      (b) => inlineText(b) && !b.querySelector("p, div"),
    );
    const fromEnd = i % 2 === 0;
    const last = fromEnd ? blocks[blocks.length - 1] : blocks[0];
    if (!last) break;
    const text = inlineText(last);
    if (!publisherForCredit(text)) continue;
    if (fromEnd) credits.push(text);
    else credits.unshift(text);
    // Remove the whole wrapper when the credit is all it holds.
    let target: Element = last;
    while (
      target.parentElement &&
      target.parentElement !== content &&
      inlineText(target.parentElement) === text
    ) {
      target = target.parentElement;
    }
    target.remove();
  }
  return credits;
}

/** A caption printed again as a paragraph (the seed page does this) is dropped from the body. */
function removeRepeatedCaptions(content: Element, captions: Map<string, CaptionedImage>): void {
  const known = new Set<string>();
  for (const c of captions.values()) if (c.caption) known.add(c.caption.toLowerCase());
  if (known.size === 0) return;
  for (const block of Array.from(content.querySelectorAll("p, div"))) {
    if (block.querySelector("p, div, img")) continue;
    const text = inlineText(block).toLowerCase();
    if (text && known.has(text)) block.remove();
  }
}

function imagesIn(content: Element, base: string): CaptionedImage[] {
  const out: CaptionedImage[] = [];
  for (const img of Array.from(content.querySelectorAll("img"))) {
    const url = absoluteUrl(img.getAttribute("src"), base);
    if (!url) continue;
    const width = Number(img.getAttribute("width"));
    if (width > 0 && width < 50) continue; // icons and tracking pixels
    out.push({ url, caption: null, credit: null, alt: img.getAttribute("alt")?.trim() || null });
  }
  return out;
}

function linkTextShare(content: Element): number {
  const total = inlineText(content).length;
  if (total === 0) return 0;
  let linked = 0;
  for (const a of Array.from(content.querySelectorAll("a"))) linked += inlineText(a).length;
  return linked / total;
}

const RTL_LANGUAGES = /^(ar|he|iw|fa|ur|ps|sd|ug|yi|dv|ckb)(-|$)/i;

function textDirection(
  documentDir: string | null,
  readability: ReadabilityResult | null,
  language: string | null,
): "ltr" | "rtl" {
  const declared = readability?.dir ?? documentDir;
  if (declared?.toLowerCase() === "rtl") return "rtl";
  if (declared?.toLowerCase() === "ltr") return "ltr";
  return language && RTL_LANGUAGES.test(language) ? "rtl" : "ltr";
}
