import { newsbite2025 } from "./newsbite.js";
import { theAustralian2025 } from "./theaustralian.js";
import type { MatchedRule, SiteRule } from "./types.js";
import { wsj2025 } from "./wsj.js";

/**
 * Every site rule, all versions. Adding a site = adding a file here and a fixture folder under
 * fixtures/sites/<host>/; the fixture test picks it up with no new test code.
 */
export const SITE_RULES: readonly SiteRule[] = [newsbite2025, theAustralian2025, wsj2025];

export function ruleId(rule: SiteRule): string {
  return `${rule.hosts[0]}@${rule.validFrom}`;
}

/**
 * The newest version of the rule for a URL's host that is not newer than the fetch date (a page
 * fetched before the first version gets the first version).
 */
export function findSiteRule(
  url: string,
  fetchedAt: string,
  rules: readonly SiteRule[] = SITE_RULES,
): MatchedRule | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^www\d?\./, "");
  } catch {
    return null;
  }
  const day = fetchedAt.slice(0, 10);
  let best: SiteRule | null = null;
  let earliest: SiteRule | null = null;
  for (const rule of rules) {
    if (!rule.hosts.some((h) => host === h || host.endsWith(`.${h}`))) continue;
    if (!earliest || rule.validFrom < earliest.validFrom) earliest = rule;
    if (rule.validFrom > day) continue;
    if (!best || rule.validFrom > best.validFrom) best = rule;
  }
  best ??= earliest;
  return best ? { id: ruleId(best), rule: best } : null;
}
