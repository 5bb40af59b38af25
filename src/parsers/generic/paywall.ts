import type { ArticleRecord } from "../../domain/article.js";
import type { NameIndex } from "../engine/name-index.js";
import { queryAll } from "../engine/query.js";
import { countWords, inlineText } from "../engine/text.js";
import type { SiteRule } from "../sites/types.js";
import type { JsonLdArticle } from "./json-ld.js";

/**
 * Whether the body we hold is a paywall teaser. We only flag it: a truncated original stays
 * truncated (no crawler impersonation, no cache or archive tricks).
 */
const PROMPT =
  /\b(subscribe|subscription|subscriber|sign in|log in|already a member|unlock|to continue reading|start your free trial)\b/i;
/** A story this short next to a paywall prompt, or ending as a teaser does, is a teaser. */
const TEASER_WORDS = 350;
/** A part the page declares paywalled that holds fewer words than this has been emptied. */
const EMPTIED_PART_WORDS = 60;
/** How a teaser ends: an ellipsis, or an invitation to read on. */
const TEASER_ENDING =
  /(?:…|\.\.\.|\b(?:continue reading|keep reading|read the full (?:story|article)|read more|to read (?:more|on|the rest)|subscribe (?:now )?to (?:read|continue)|already a subscriber\??|weiterlesen|lire la suite|seguir leyendo|continua a leggere))\W*$/i;

export interface PaywallSignals {
  /** The site rule's own paywall marker is on the page. */
  ruleMarker: boolean;
  /** A generic paywall container that asks the reader to subscribe or sign in. */
  prompt: boolean;
  /**
   * A part the JSON-LD declares paywalled (hasPart with a cssSelector) is on the page and holds
   * little or no text: the page was served without it.
   */
  emptiedPart: boolean;
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
  jsonLd: JsonLdArticle | null = null,
): PaywallSignals {
  return {
    ruleMarker: rule?.paywallMarkers ? anyMatch(document, rule.paywallMarkers, false) : false,
    prompt: names.paywall.some((node) => PROMPT.test(node.textContent ?? "")),
    emptiedPart: emptiedPaywalledPart(document, jsonLd),
  };
}

function emptiedPaywalledPart(document: Document, jsonLd: JsonLdArticle | null): boolean {
  for (const selector of jsonLd?.paywalledSelectors ?? []) {
    const parts = queryAll(document, selector);
    if (parts.length > 0 && parts.every((part) => countWords(inlineText(part)) < EMPTIED_PART_WORDS))
      return true;
  }
  return false;
}

/** The last paragraph of a text ends as a teaser's does. */
export function endsAsTeaser(text: string): boolean {
  const last =
    text
      .trimEnd()
      .split(/\n\s*\n/)
      .pop() ?? "";
  return TEASER_ENDING.test(last.slice(-120));
}

/**
 * Truncated only on evidence that the text on the page is cut: the rule's marker, an emptied
 * paywalled part, or a short body beside a subscribe prompt or ending as a teaser. What the page
 * declares (isAccessibleForFree false) is reported, never taken as evidence alone: a mirror
 * copies it with the rest of the JSON-LD onto a complete copy.
 */
export function paywallVerdict(
  signals: PaywallSignals,
  jsonLd: JsonLdArticle | null,
  bodyWords: number,
  bodyText = "",
): ArticleRecord["paywall"] {
  const accessibleForFree = jsonLd?.isAccessibleForFree ?? (jsonLd?.hasPaywalledPart ? false : null);
  if (signals.ruleMarker) return { accessibleForFree: accessibleForFree ?? false, truncated: true };
  const short = bodyWords > 0 && bodyWords < TEASER_WORDS;
  const truncated = signals.emptiedPart || (short && (signals.prompt || endsAsTeaser(bodyText)));
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
