import type { NameIndex } from "../engine/name-index.js";
import { removeAll, removeBoilerplate } from "../engine/noise.js";
import { removePaywallPrompts } from "../generic/paywall.js";
import type { SiteRule } from "../sites/types.js";

/** A "boilerplate" element holding more than this share of the page's text is the page itself. */
const BOILERPLATE_MAX_SHARE = 0.3;

/**
 * Stage 2: remove what is on the page but not the story, before the body is chosen: the rule's
 * clean selectors, paywall prompts, and page furniture (navigation, share bars, promos).
 */
export function cleanPage(document: Document, rule: SiteRule | null, names: NameIndex): void {
  if (rule?.clean) removeAll(document, rule.clean);
  removePaywallPrompts(document, rule, names);
  if (document.body) removeBoilerplate(document.body, BOILERPLATE_MAX_SHARE);
}
