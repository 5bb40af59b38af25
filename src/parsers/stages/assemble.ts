import type { ArticleImage, ArticleRecord } from "../../domain/article.js";
import {
  contentHashOf,
  EXTRACTOR_NAME,
  EXTRACTOR_VERSION,
  missingFields,
} from "../../domain/article-fields.js";
import { articleIdFor } from "../../domain/url.js";
import { absoluteUrl, buildImageList, type CaptionedImage, imagesIn } from "../engine/images.js";
import { capList, RECORD_LIST_LIMITS } from "../engine/limits.js";
import { plainText, TEXT_LIMITS } from "../engine/plain-text.js";
import type { GenericMetadata, ReadabilityResult } from "../generic/metadata.js";
import type { BodyText } from "./measure-body.js";
import type { ResolvedFields } from "./resolve-fields.js";
import type { Syndication } from "./syndication.js";

/** The story's images: the declared lead first, then those in the body, each once, with their captions. */
export function storyImages(
  content: Element | null,
  leadImage: GenericMetadata["leadImage"],
  captions: Map<string, CaptionedImage>,
  finalUrl: string,
): ArticleImage[] {
  const leadUrl = leadImage ? absoluteUrl(leadImage.url, finalUrl) : null;
  const images = buildImageList({
    body: content ? imagesIn(content, finalUrl) : [],
    lead: leadUrl && leadImage ? { ...leadImage, url: leadUrl } : null,
    captions,
  });
  return images.map((image) => ({
    ...image,
    caption: plainText(image.caption, TEXT_LIMITS.caption),
    credit: plainText(image.credit, TEXT_LIMITS.credit),
    alt: plainText(image.alt, TEXT_LIMITS.caption),
  }));
}

export interface RecordParts {
  requestedUrl: string;
  finalUrl: string;
  fetchedAt: string;
  extractedAt: string;
  ruleId: string | null;
  fields: ResolvedFields;
  body: BodyText;
  images: ArticleImage[];
  syndication: Syndication;
  paywall: ArticleRecord["paywall"];
  /** The dir the document or Readability declares, if any. */
  declaredDir: string | null;
  warnings: string[];
}

/** Stage 9: the record, with what is missing from it and the hash of its revision fields. */
export function assembleRecord(parts: RecordParts): ArticleRecord {
  const { fields, body, syndication } = parts;
  const direction = textDirection(parts.declaredDir, fields.language);
  const warnings = [...parts.warnings];
  const record: ArticleRecord = {
    id: articleIdFor(syndication.url),
    url: syndication.url,
    requestedUrl: parts.requestedUrl,
    finalUrl: parts.finalUrl,
    title: fields.title,
    standfirst: fields.standfirst,
    byline: fields.byline,
    authors: capList("authors", fields.authors, RECORD_LIST_LIMITS.authors, warnings),
    publishedAt: fields.publishedAt,
    publishedAtRaw: fields.publishedAtRaw,
    modifiedAt: fields.modifiedAt,
    modifiedAtRaw: fields.modifiedAtRaw,
    // The hosting site, as the chain names it when the cascade's value was another outlet's.
    publisher: syndication.publisher ?? fields.publisher,
    section: fields.section,
    tags: capList("tags", fields.tags, RECORD_LIST_LIMITS.tags, warnings),
    language: fields.language,
    direction: body.words > 0 || fields.title ? direction : null,
    body: { html: body.html, text: body.text },
    wordCount: body.words,
    images: capList("images", parts.images, RECORD_LIST_LIMITS.images, warnings),
    provenance: syndication.provenance,
    paywall: parts.paywall,
    contentHash: "",
    extractor: { name: EXTRACTOR_NAME, version: EXTRACTOR_VERSION, rule: parts.ruleId },
    fetchedAt: parts.fetchedAt,
    extractedAt: parts.extractedAt,
    missing: [],
    warnings,
  };
  record.missing = missingFields(record);
  record.contentHash = contentHashOf(record);
  return record;
}

const RTL_LANGUAGES = /^(ar|he|iw|fa|ur|ps|sd|ug|yi|dv|ckb)(-|$)/i;

function textDirection(declared: string | null, language: string | null): "ltr" | "rtl" {
  if (declared?.toLowerCase() === "rtl") return "rtl";
  if (declared?.toLowerCase() === "ltr") return "ltr";
  return language && RTL_LANGUAGES.test(language) ? "rtl" : "ltr";
}

/** Readability's dir for the story, else the document's. */
export function declaredDirection(
  readability: ReadabilityResult | null,
  documentDir: string | null,
): string | null {
  return readability?.dir ?? documentDir;
}
