import type { Readability } from "@mozilla/readability";
import type { NameIndex } from "../engine/name-index.js";
import { queryFirst } from "../engine/query.js";
import { inlineText, shortTextOf, visibleText } from "../engine/text.js";
import type { DateCandidate } from "./date-resolution.js";
import { chooseTitle, readHeadlines } from "./headline.js";
import type { JsonLdArticle } from "./json-ld.js";
import { allMeta, firstMeta, type MetaTags } from "./meta-tags.js";
import { choosePublisherName } from "./publisher-name.js";
import { type SiteNames, siteNamesFrom } from "./site-names.js";
import { dateFromUrl, findDateInText, readVisibleDates } from "./visible-dates.js";

/**
 * The generic metadata cascade: JSON-LD first, then OpenGraph / Twitter / meta / Dublin Core,
 * then what the DOM shows. Each field is an ordered list of candidates; the first one wins.
 */
export type ReadabilityResult = NonNullable<ReturnType<Readability<Element>["parse"]>>;

export interface GenericMetadata {
  title: string | null;
  standfirst: string | null;
  byline: string | null;
  authorNames: string[];
  /** Where names may be read, most trusted first: JSON-LD authors, Readability's byline, author metas, printed bylines. */
  authorSources: string[][];
  /** The names the page gives its site, for telling the site's own credit from a person's. */
  siteNames: SiteNames;
  publishedRaw: string | null;
  modifiedRaw: string | null;
  /** Every publication date the page gives, most trusted first: metadata, then printed text, then the URL. */
  publishedCandidates: DateCandidate[];
  modifiedCandidates: DateCandidate[];
  publisher: string | null;
  section: string | null;
  tags: string[];
  language: string | null;
  canonical: string | null;
  ogUrl: string | null;
  leadImage: { url: string; caption: string | null; credit: string | null } | null;
}

/**
 * What the document itself shows, read before the body extractor runs: Readability rearranges
 * the tree.
 */
export interface DocumentFacts {
  printedByline: string | null;
  /** A short block that reads as a byline ("Written by …", "Publicado por: …") when no element is named as one. */
  textByline: string | null;
  h1: string | null;
  /** Visible headline candidates (h1s, itemprop=headline) outside the site's furniture, in order. */
  headlines: string[];
  documentTitle: string | null;
  /** Alt texts of the site's logo images (a masthead names the site). */
  logoNames: string[];
  dek: string | null;
  published: string | null;
  modified: string | null;
  /** Dates printed in date, time and byline elements, in document order. */
  visibleDates: string[];
  /** The first <time datetime> anywhere outside the site's furniture. */
  anyTime: string | null;
  lang: string | null;
  dir: string | null;
  canonical: string | null;
}

export function readDocumentFacts(document: Document, names: NameIndex): DocumentFacts {
  const root = document.documentElement;
  return {
    printedByline: readPrintedByline(document, names),
    textByline: readTextByline(document),
    h1: domText(document, "h1"),
    headlines: readHeadlines(document),
    documentTitle: domText(document, "title"),
    logoNames: readLogoNames(document),
    dek: inlineText(names.dek[0]) || null,
    published: first(
      domAttr(document, "[itemprop=datePublished]", "content"),
      domAttr(document, "[itemprop=datePublished]", "datetime"),
      domAttr(document, "article time[datetime], header time[datetime], time[pubdate]", "datetime"),
      domText(document, "[itemprop=datePublished]"),
    ),
    modified: first(
      domAttr(document, "[itemprop=dateModified]", "content"),
      domAttr(document, "[itemprop=dateModified]", "datetime"),
    ),
    visibleDates: readVisibleDates(document),
    anyTime: domAttr(document, "time[datetime]:not(footer time):not(aside time):not(nav time)", "datetime"),
    lang: root?.getAttribute("lang") ?? null,
    dir: root?.getAttribute("dir") ?? (root ? document.body?.getAttribute("dir") : null) ?? null,
    canonical: domAttr(document, "link[rel~=canonical]", "href"),
  };
}

const LOGO = /logo|masthead|brand/i;
const MAX_LOGOS = 3;

function readLogoNames(document: Document): string[] {
  const out: string[] = [];
  for (const img of Array.from(document.querySelectorAll("img[alt]"))) {
    if (out.length >= MAX_LOGOS) break;
    const parent = img.parentElement;
    const names = `${img.getAttribute("class") ?? ""} ${img.getAttribute("id") ?? ""} ${img.getAttribute("src") ?? ""} ${parent?.getAttribute("class") ?? ""}`;
    const alt = img.getAttribute("alt")?.replace(/\s+/g, " ").trim();
    if (alt && alt.length <= 60 && (LOGO.test(names) || LOGO.test(alt))) out.push(alt);
  }
  return out;
}

export interface MetadataSources {
  facts: DocumentFacts;
  meta: MetaTags;
  jsonLd: JsonLdArticle | null;
  readability: ReadabilityResult | null;
  /** The page's address: its host is one of the site's names. */
  url?: string | null;
}

function first(...values: (string | null | undefined)[]): string | null {
  for (const value of values) {
    const text = value?.replace(/\s+/g, " ").trim();
    if (text) return text;
  }
  return null;
}

function domText(document: Document, selector: string): string | null {
  return inlineText(queryFirst(document, selector)) || null;
}

function domAttr(document: Document, selector: string, attribute: string): string | null {
  return queryFirst(document, selector)?.getAttribute(attribute)?.trim() || null;
}

const BYLINE_PREFIX = /^(?:by|von|par|por|di|door|بقلم)\s*:?\s/i;

/**
 * The byline as the page prints it. Read before the body extractor runs (it removes bylines from
 * the document). A byline block that also prints dates keeps only its "By …" part.
 */
export function readPrintedByline(document: Document, names: NameIndex): string | null {
  const groups: (() => Element[])[] = [
    () => names.byline,
    () => names.author,
    () => Array.from(document.querySelectorAll("[itemprop=author] [itemprop=name]")),
    () => Array.from(document.querySelectorAll("[itemprop=author]")),
    () => Array.from(document.querySelectorAll("[rel=author]")),
  ];
  for (const group of groups) {
    const text = visibleText(group()[0]);
    if (!text || text.length > 300) continue;
    const parts = text.split(/\s+[|•·]\s+/);
    const datesBeside = parts.some((p) => /\p{Nd}/u.test(p));
    const named = datesBeside ? parts.find((p) => BYLINE_PREFIX.test(p)) : null;
    return named ?? text;
  }
  return null;
}

/** A block of text that opens like a byline: "By …", "Written by …", "Publicado por: …", "Von …". */
const BYLINE_TEXT =
  /^(?:(?:written|words|posted|published|reported|publicado|publicada|escrito|publié|pubblicato|geschrieben)\s+(?:by|por|par|da|von)|by|von|par|por|door|av|af)\s*:?\s+\p{Lu}|^(?:texto?|текст|автор|autor)\s*:\s*\p{Lu}/iu;
/** What a block's raw text holds if its collapsed text opens like a byline (BYLINE_TEXT's words). */
const BYLINE_WORD = /(?:by|von|par|por|door|av|af|da)\s*:?\s|(?:texto?|текст|автор|autor)\s*:/iu;
const MAX_BYLINE_TEXT = 150;
/** Elements looked at for a byline in text, in document order: a page's first few thousand. */
const MAX_BYLINE_SCAN = 4_000;
const OUTSIDE_STORY = "footer, nav, aside, form, [class*=comment], [id*=comment], [class*=related]";

export function readTextByline(document: Document): string | null {
  const body = document.body;
  if (!body) return null;
  const blocks = Array.from(body.querySelectorAll("p, div, span, li, address, small")).slice(
    0,
    MAX_BYLINE_SCAN,
  );
  for (const block of blocks) {
    if (block.childElementCount > 8) continue;
    // A date may come first: "05/10/2018 - Publicado por: Clarissa Borba".
    const text = (shortTextOf(block, MAX_BYLINE_TEXT + 16, BYLINE_WORD) ?? "").replace(
      /^[\d./-]{8,10}\s*[-–|•]\s*/,
      "",
    );
    if (!text || text.length > MAX_BYLINE_TEXT || !BYLINE_TEXT.test(text)) continue;
    if (block.closest(OUTSIDE_STORY)) continue;
    return text;
  }
  return null;
}

function normaliseLanguage(value: string | null): string | null {
  if (!value) return null;
  const tag = value.trim().replace(/_/g, "-");
  if (!/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i.test(tag)) return null;
  const [lang, ...rest] = tag.split("-");
  return [lang?.toLowerCase(), ...rest.map((part) => (part.length === 2 ? part.toUpperCase() : part))].join(
    "-",
  );
}

export function readGenericMetadata(sources: MetadataSources): GenericMetadata {
  const { facts, meta, jsonLd, readability } = sources;
  const byline = genericByline(sources);
  const names = siteNamesOf(sources);
  const section = first(
    jsonLd?.section,
    firstMeta(meta, "article:section", "section", "parsely-section", "category"),
  );
  return {
    title: chooseTitle({
      headlines: facts.headlines,
      declared: [
        readability?.title,
        jsonLd?.headline,
        firstMeta(meta, "og:title"),
        firstMeta(meta, "twitter:title"),
        facts.documentTitle,
      ],
      names,
      section,
    }),
    standfirst: first(
      jsonLd?.description,
      firstMeta(meta, "og:description", "twitter:description", "description", "dc.description"),
      facts.dek,
    ),
    byline,
    authorNames: jsonLd?.authors.length ? jsonLd.authors : byline ? [byline] : [],
    authorSources: authorSources(sources),
    siteNames: names,
    ...genericDates(sources),
    ...dateCandidates(sources),
    publisher: choosePublisherName({
      declared: [
        firstMeta(meta, "og:site_name"),
        jsonLd?.publisher,
        ...(jsonLd?.siteNames ?? []),
        readability?.siteName,
        firstMeta(meta, "application-name"),
      ],
      handles: [firstMeta(meta, "twitter:site")],
      shown: [
        ...titleEnds(facts.documentTitle),
        ...titleEnds(firstMeta(meta, "og:title")),
        ...facts.logoNames,
      ],
      names,
    }),
    section,
    tags: genericTags(meta, jsonLd),
    language: normaliseLanguage(
      first(
        facts.lang,
        jsonLd?.language,
        firstMeta(meta, "content-language", "language", "dc.language"),
        firstMeta(meta, "og:locale"),
        readability?.lang,
      ),
    ),
    canonical: facts.canonical,
    ogUrl: firstMeta(meta, "og:url"),
    leadImage: genericLeadImage(meta, jsonLd),
  };
}

/** The first and last parts of a title that has several: where a site prints its name. */
function titleEnds(title: string | null): string[] {
  const parts = title?.split(/\s+[|\-–—·»:]{1,2}\s+|\s*[|·»]\s*/).filter((part) => part.trim()) ?? [];
  return parts.length < 2 ? [] : [parts[parts.length - 1] ?? "", parts[0] ?? ""];
}

/** Every name the page gives its site, and its host. */
export function siteNamesOf({ meta, jsonLd, url }: MetadataSources): SiteNames {
  return siteNamesFrom(
    [
      firstMeta(meta, "og:site_name"),
      jsonLd?.publisher,
      firstMeta(meta, "application-name", "apple-mobile-web-app-title"),
      firstMeta(meta, "twitter:site"),
    ],
    url,
  );
}

/**
 * The byline as printed wins; metadata names are the fallback (authors[] is cleaned separately).
 * Readability's byline (author metadata, else the byline element it recognises and trims) is the
 * reference; the printed byline element is the fallback for pages it finds none on.
 */
function genericByline({ facts, meta, jsonLd, readability }: MetadataSources): string | null {
  const jsonLdByline = jsonLd?.authors.length ? jsonLd.authors.join(", ") : null;
  const metaAuthor = allMeta(
    meta,
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
  ).filter((value) => !/^https?:/i.test(value));
  return first(readability?.byline, jsonLdByline, metaAuthor[0], facts.printedByline);
}

function authorSources({ facts, meta, jsonLd, readability }: MetadataSources): string[][] {
  const metaAuthors = allMeta(
    meta,
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
  ).filter((value) => !/^https?:/i.test(value));
  const organizations = new Set(jsonLd?.organizationAuthors ?? []);
  return [
    (jsonLd?.authors ?? []).filter((name) => !organizations.has(name)),
    readability?.byline ? [readability.byline] : [],
    metaAuthors,
    facts.printedByline ? [facts.printedByline] : [],
    facts.textByline ? [facts.textByline] : [],
  ].filter((source) => source.length > 0);
}

function genericDates({ facts, meta, jsonLd, readability }: MetadataSources) {
  return {
    publishedRaw: first(
      jsonLd?.datePublished,
      readability?.publishedTime,
      firstMeta(meta, ...PUBLISHED_METAS),
      facts.published,
    ),
    modifiedRaw: first(jsonLd?.dateModified, firstMeta(meta, ...MODIFIED_METAS), facts.modified),
  };
}

const PUBLISHED_METAS = [
  "article:published_time",
  "og:published_time",
  "datepublished",
  "pubdate",
  "publishdate",
  "date",
  "dc.date.issued",
  "dcterms.created",
  "dc.date",
  "sailthru.date",
  "parsely-pub-date",
  "publish-date",
  "article.published",
];
const MODIFIED_METAS = [
  "article:modified_time",
  "og:updated_time",
  "datemodified",
  "dcterms.modified",
  "last-modified",
];

/** Every date value of the page, for date-resolution.ts to choose from and repair with. */
function dateCandidates({ facts, meta, jsonLd, readability, url }: MetadataSources) {
  const metadata = (values: (string | null | undefined)[]): DateCandidate[] =>
    values.flatMap((raw) => (raw?.trim() ? [{ raw: raw.trim(), source: "metadata" as const }] : []));
  const fromUrl = url ? dateFromUrl(url) : null;
  const printed = [...facts.visibleDates, facts.textByline ? findDateInText(facts.textByline) : null].filter(
    (raw): raw is string => Boolean(raw),
  );
  // A printed date with its time is the byline's; a date alone is as often a sidebar's or a claim's.
  printed.sort((a, b) => Number(/\d[:.]\d{2}/.test(b)) - Number(/\d[:.]\d{2}/.test(a)));
  return {
    publishedCandidates: [
      ...metadata([
        jsonLd?.datePublished,
        readability?.publishedTime,
        ...allMeta(meta, ...PUBLISHED_METAS),
        facts.published,
        ...(jsonLd?.allDatesPublished ?? []),
      ]),
      ...printed.map((raw) => ({ raw, source: "text" as const })),
      ...metadata([facts.anyTime]),
      ...(fromUrl ? [{ raw: fromUrl, source: "url" as const }] : []),
    ],
    modifiedCandidates: metadata([jsonLd?.dateModified, ...allMeta(meta, ...MODIFIED_METAS), facts.modified]),
  };
}

/** JSON-LD keywords, article:tag and keyword metas, each once (case-insensitively), none too long. */
function genericTags(meta: MetaTags, jsonLd: JsonLdArticle | null): string[] {
  // A set, not a search of the list per tag: a page may carry tens of thousands of tag metas.
  const seen = new Set<string>();
  return [
    ...(jsonLd?.keywords ?? []),
    ...allMeta(meta, "article:tag"),
    ...allMeta(meta, "news_keywords", "keywords").flatMap((k) => k.split(/\s*,\s*/)),
  ]
    .map((t) => t.trim())
    .filter((t) => t && t.length <= 60 && !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase()));
}

function genericLeadImage(meta: MetaTags, jsonLd: JsonLdArticle | null): GenericMetadata["leadImage"] {
  const leadJsonLd = jsonLd?.images[0] ?? null;
  if (leadJsonLd) return leadJsonLd;
  const ogImage = firstMeta(
    meta,
    "og:image:secure_url",
    "og:image",
    "og:image:url",
    "twitter:image",
    "twitter:image:src",
  );
  return ogImage ? { url: ogImage, caption: null, credit: null } : null;
}
