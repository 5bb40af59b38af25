import { isProbablyReaderable } from "@mozilla/readability";
import { type PageCredits, readPageCredits } from "../engine/credit-lines.js";
import { type CaptionedImage, collectCaptions, resolveLazyImages } from "../engine/images.js";
import { indexByName, type NameIndex } from "../engine/name-index.js";
import { printedOriginalUrls } from "../engine/original-url.js";
import {
  declaresArticle,
  declaresListingPage,
  findJsonLdArticle,
  type JsonLdArticle,
  readJsonLdBlocks,
} from "../generic/json-ld.js";
import { firstMeta, type MetaTags, readMetaTags } from "../generic/meta-tags.js";
import { type DocumentFacts, readDocumentFacts } from "../generic/metadata.js";
import { type PaywallSignals, readPaywallSignals } from "../generic/paywall.js";
import { type RuleValues, readRuleFields } from "../sites/apply-rule.js";
import { findSiteRule, SITE_RULES } from "../sites/index.js";
import type { MatchedRule, SiteRule } from "../sites/types.js";

/** What the page says it is, for telling an article from a listing. */
export interface PageSignals {
  jsonLdArticle: boolean;
  articleMicrodata: boolean;
  ogType: string | null;
  readerable: boolean;
  /** The page declares itself a collection or list (og:type other than article, JSON-LD ItemList…). */
  declaresListing: boolean;
}

/** Everything read from the page before cleaning changes it. */
export interface PageFacts {
  matched: MatchedRule | null;
  meta: MetaTags;
  jsonLd: JsonLdArticle | null;
  names: NameIndex;
  shown: DocumentFacts;
  ruleValues: RuleValues;
  paywall: PaywallSignals;
  signals: PageSignals;
  /** Every figure's caption and credit, keyed by absolute image URL. */
  captions: Map<string, CaptionedImage>;
  /** URLs printed after "Original URL:" anywhere in the page. */
  printedOriginalUrls: string[];
  /** Source and credit lines around the article, the masthead, microdata publishers. */
  credits: PageCredits;
}

/**
 * Stage 1: read the facts that cleaning would destroy (prompts, bylines, markers, captions).
 * Only change made: lazy images get their real URL, so captions are keyed by it.
 */
export function readFacts(
  document: Document,
  finalUrl: string,
  fetchedAt: string,
  rules: readonly SiteRule[] = SITE_RULES,
): PageFacts {
  const meta = readMetaTags(document);
  const jsonLdNodes = readJsonLdBlocks(document);
  const jsonLd = findJsonLdArticle(jsonLdNodes);
  const jsonLdArticle = declaresArticle(jsonLd);
  const matched = findSiteRule(finalUrl, fetchedAt, rules);
  const rule = matched?.rule ?? null;
  const names = indexByName(document.documentElement);
  const ogType = firstMeta(meta, "og:type");
  const facts = {
    matched,
    meta,
    jsonLd,
    names,
    paywall: readPaywallSignals(document, rule, names, jsonLd),
    ruleValues: rule ? readRuleFields(document, rule) : {},
    signals: {
      jsonLdArticle,
      articleMicrodata: document.querySelector("[itemprop=articleBody], [itemtype*=Article]") !== null,
      ogType,
      readerable: isProbablyReaderable(document),
      declaresListing:
        !jsonLdArticle && ogType !== null && ogType !== "article" && declaresListingPage(jsonLdNodes),
    },
    shown: readDocumentFacts(document, names),
    printedOriginalUrls: printedOriginalUrls(document.documentElement),
    credits: readPageCredits(document),
  };
  resolveLazyImages(document, finalUrl);
  return { ...facts, captions: collectCaptions(document, finalUrl) };
}
