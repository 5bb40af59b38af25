import type { ArticleRecord } from "../domain/article.js";
import { CopydeskError } from "../domain/errors.js";
import type { ParsePageInput } from "../domain/page.js";
import { parseHttpUrl } from "../domain/url.js";
import { type DomEngine, openDocument } from "./engine/dom.js";
import { flattenDeepMarkup, limitMarkup, MAX_DEPTH } from "./engine/limits.js";
import { precleanHtml } from "./engine/preclean.js";
import { toIsoUtc } from "./generic/dates.js";
import { readGenericMetadata } from "./generic/metadata.js";
import { paywallVerdict } from "./generic/paywall.js";
import { SITE_RULES } from "./sites/index.js";
import type { SiteRule } from "./sites/types.js";
import { assembleRecord, declaredDirection, storyImages } from "./stages/assemble.js";
import { chooseBody } from "./stages/choose-body.js";
import { classifyPage } from "./stages/classify.js";
import { cleanBody, headerFacts } from "./stages/clean-body.js";
import { cleanPage } from "./stages/clean-page.js";
import { EMPTY_BODY, measureBody } from "./stages/measure-body.js";
import { readFacts } from "./stages/read-facts.js";
import { resolveFields } from "./stages/resolve-fields.js";
import { traceSyndication } from "./stages/syndication.js";

export type { ParsePageInput };

export interface ParsePageOptions {
  /** DOM implementation; the array tree by default (see docs/BENCHMARKS.md), jsdom is the reference. */
  engine?: DomEngine;
  /**
   * When false, every field a site rule covers (its body included) comes from the rule alone, so
   * a broken selector fails a fixture instead of being hidden by the generic extractor. Default true.
   */
  genericFallback?: boolean;
  /** The site rules to match against (tests give broken ones); SITE_RULES by default. */
  rules?: readonly SiteRule[];
  /** Clock for `extractedAt` (tests pin it). */
  now?: () => Date;
}

/** The checked input: absolute http(s) URLs and ISO instants. */
interface PageContext {
  finalUrl: string;
  requestedUrl: string;
  fetchedAt: string;
  extractedAt: string;
  fallback: boolean;
  rules: readonly SiteRule[];
}

/**
 * From one HTML page to one canonical article record. Pure: no I/O; a page that is not an article
 * gives a record with `missing` and `warnings` filled, not an exception.
 */
export function parsePage(input: ParsePageInput, options: ParsePageOptions = {}): ArticleRecord {
  const page = checkInput(input, options);
  const engine = options.engine ?? "tree";
  // The tree leaves out scripts, styles and the like as it is built; jsdom gets them cut from the
  // string first (its CSS parser also throws on uncompiled SCSS in a <style>).
  const markup = limitMarkup(engine === "jsdom" ? precleanHtml(input.html) : input.html);
  const { document, close } = openDocument(markup.html, page.finalUrl, engine);
  try {
    if (flattenDeepMarkup(document.documentElement) > 0)
      markup.warnings.push(`markup nested deeper than ${MAX_DEPTH} levels was read as plain text`);
    return extract(document, page, markup.warnings);
  } finally {
    close();
  }
}

function checkInput(input: ParsePageInput, options: ParsePageOptions): PageContext {
  if (typeof input.html !== "string") throw new CopydeskError("INPUT_INVALID", "html must be a string");
  const fetchedAt = toIsoUtc(input.fetchedAt);
  if (!fetchedAt) throw new CopydeskError("INPUT_INVALID", `fetchedAt is not a date: ${input.fetchedAt}`);
  return {
    finalUrl: parseHttpUrl(input.finalUrl ?? input.url).href,
    requestedUrl: parseHttpUrl(input.requestedUrl ?? input.url).href,
    fetchedAt,
    extractedAt: (options.now?.() ?? new Date()).toISOString(),
    fallback: options.genericFallback ?? true,
    rules: options.rules ?? SITE_RULES,
  };
}

/** The pipeline: each stage takes the values the earlier ones returned. */
function extract(document: Document, page: PageContext, capWarnings: string[]): ArticleRecord {
  const { finalUrl, fetchedAt, fallback } = page;
  const facts = readFacts(document, finalUrl, fetchedAt, page.rules);
  const rule = facts.matched?.rule ?? null;
  cleanPage(document, rule, facts.names);
  const chosen = chooseBody(document, rule, fallback);
  const { shown, meta, jsonLd, ruleValues } = facts;
  const generic = readGenericMetadata({
    facts: shown,
    meta,
    jsonLd,
    readability: chosen.readability,
    url: finalUrl,
  });
  const lines = cleanBody(chosen.content, headerFacts(ruleValues, generic), facts.captions);
  const measured = measureBody(chosen.content, {
    jsonLd,
    paywallShown: facts.paywall.ruleMarker || facts.paywall.prompt,
    allowDeclared: fallback || !rule?.body?.length,
  });
  const verdict = classifyPage(measured, facts.signals);
  const { isArticle } = verdict;
  const body = isArticle ? measured : EMPTY_BODY;
  const fields = resolveFields({
    rule,
    ruleValues,
    generic,
    fallback,
    isArticle,
    finalUrl,
    fetchedAt,
    text: body.text,
  });
  const syndication = traceSyndication({
    finalUrl,
    generic,
    publisher: fields.publisher,
    rule,
    jsonLd,
    originalUrls: [...lines.originalUrls, ...facts.printedOriginalUrls],
    creditLines: lines.creditLines,
    isArticle,
    byline: fields.byline,
    pageCredits: facts.credits,
    bodyText: body.text,
  });
  const imageSource = isArticle && body.words > 0 ? chosen.content : null;
  return assembleRecord({
    ...page,
    ruleId: facts.matched?.id ?? null,
    fields,
    body,
    images: isArticle ? storyImages(imageSource, generic.leadImage, facts.captions, finalUrl) : [],
    syndication,
    paywall: paywallVerdict(facts.paywall, jsonLd, body.words, body.text),
    declaredDir: declaredDirection(chosen.readability, shown.dir),
    warnings: [
      ...capWarnings,
      chosen.warning,
      measured.warning,
      verdict.isArticle ? null : verdict.reason,
      ...fields.warnings,
      ...syndication.warnings,
    ].filter((w): w is string => w !== null),
  });
}
