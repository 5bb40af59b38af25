import { Readability } from "@mozilla/readability";
import { countWords, inlineText } from "../engine/text.js";
import type { ReadabilityResult } from "../generic/metadata.js";
import { findRuleBody } from "../sites/apply-rule.js";
import type { SiteRule } from "../sites/types.js";

export interface ChosenBody {
  /** The element holding the story, or null when none was found. */
  content: Element | null;
  /** How it was found. */
  from: "rule" | "readability" | "microdata" | null;
  /** Readability's whole result when it ran (its metadata feeds the cascade). */
  readability: ReadabilityResult | null;
  /** Set when Readability failed on the page. */
  warning: string | null;
}

/** The page's declared body container wins over Readability's when it holds this much more text. */
const DECLARED_BODY_RATIO = 1.5;

/**
 * Stage 3: the element that holds the story. A site rule's body container first; then
 * Readability, unless the page's own microdata marks a body with much more text. With the generic
 * fallback off, a rule that names body containers is the only source: a broken selector gives no
 * body, so its fixture fails instead of Readability hiding the break.
 */
export function chooseBody(document: Document, rule: SiteRule | null, fallback: boolean): ChosenBody {
  const ruleBody = rule ? findRuleBody(document, rule) : null;
  if (ruleBody) return { content: ruleBody, from: "rule", readability: null, warning: null };
  if (rule?.body?.length && !fallback) return { content: null, from: null, readability: null, warning: null };
  // Readability rearranges the document, so the declared container is copied first.
  const declared = document.querySelector("[itemprop=articleBody]")?.cloneNode(true) as Element | undefined;
  const { readability, warning } = runReadability(document);
  const scored = readability?.content ?? null;
  if (declared && countWords(inlineText(declared)) > DECLARED_BODY_RATIO * countWords(inlineText(scored))) {
    return { content: declared, from: "microdata", readability, warning };
  }
  return { content: scored, from: scored ? "readability" : null, readability, warning };
}

/**
 * Readability on a tree it was not written for (a malformed page, a DOM other than a browser's)
 * can fail; the page then has no scored body, and says why, rather than giving no record at all.
 */
function runReadability(document: Document): {
  readability: ReadabilityResult | null;
  warning: string | null;
} {
  try {
    const reader = new Readability<Element>(document, {
      serializer: (node) => node as Element,
      // Classes tell a dek from a paragraph after extraction; the sanitiser drops them anyway.
      keepClasses: true,
    });
    return { readability: reader.parse(), warning: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { readability: null, warning: `the body extractor failed on this page: ${reason.slice(0, 200)}` };
  }
}
