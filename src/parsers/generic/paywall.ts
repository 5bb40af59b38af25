import type { ArticleRecord } from "../../domain/article.js";
import type { NameIndex } from "../engine/name-index.js";
import { queryAll } from "../engine/query.js";
import type { SiteRule } from "../sites/types.js";
import type { JsonLdArticle } from "./json-ld.js";

/**
 * Whether the body we hold is a paywall teaser. We only flag it: a truncated original stays
 * truncated (no crawler impersonation, no cache or archive tricks).
 */
const PROMPT =
  /\b(subscribe|subscription|subscriber|sign in|log in|already a member|unlock|to continue reading|start your free trial)\b/i;
/** A story this short next to a paywall prompt is a teaser. */
const TEASER_WORDS = 350;

export interface PaywallSignals {
  /** The site rule's own paywall marker is on the page. */
  ruleMarker: boolean;
  /** A generic paywall container that asks the reader to subscribe or sign in. */
  prompt: boolean;
}

function anyMatch(document: Document, selectors: readonly string[], requirePrompt: boolean): boolean {
  for (const selector of selectors) {
    if (queryAll(document, selector).some((node) => !requirePrompt || PROMPT.test(node.textContent ?? "")))
      return true;
  }
  return false;
}

/** Read before any cleaning: the prompts are exactly what cleaning removes. */
export function readPaywallSignals(
  document: Document,
  rule: SiteRule | null,
  names: NameIndex,
): PaywallSignals {
  return {
    ruleMarker: rule?.paywallMarkers ? anyMatch(document, rule.paywallMarkers, false) : false,
    prompt: names.paywall.some((node) => PROMPT.test(node.textContent ?? "")),
  };
}

export function paywallVerdict(
  signals: PaywallSignals,
  jsonLd: JsonLdArticle | null,
  bodyWords: number,
): ArticleRecord["paywall"] {
  const accessibleForFree = jsonLd?.isAccessibleForFree ?? (jsonLd?.hasPaywalledPart ? false : null);
  if (signals.ruleMarker) return { accessibleForFree: accessibleForFree ?? false, truncated: true };
  const truncated =
    bodyWords > 0 && bodyWords < TEASER_WORDS && (signals.prompt || accessibleForFree === false);
  return { accessibleForFree, truncated };
}

/** Subscribe prompts are not story: they go before the body is extracted. */
export function removePaywallPrompts(document: Document, rule: SiteRule | null, names: NameIndex): void {
  const candidates = [
    ...names.paywall,
    ...(rule?.paywallMarkers ?? []).flatMap((s) => queryAll(document, s)),
  ];
  for (const node of candidates) {
    const text = node.textContent ?? "";
    // A "paywall" class on the story's own container must not take the story with it.
    if (PROMPT.test(text) && text.split(/\s+/).length < 150) node.remove();
  }
}
