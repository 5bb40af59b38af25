import { queryAll, queryFirst } from "../engine/query.js";
import { inlineText, visibleText } from "../engine/text.js";
import type { RuleField, SiteRule } from "./types.js";

/** What a site rule's field selectors found on a page; a field the rule does not cover, or found nothing for, is absent. */
export interface RuleValues {
  title?: string;
  standfirst?: string;
  byline?: string;
  publishedAt?: string;
  modifiedAt?: string;
  section?: string;
  tags?: string[];
}

/** Runs a rule's field selectors: for each field, the first selector that yields a value wins. */
export function readRuleFields(document: Document, rule: SiteRule): RuleValues {
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
    if (field === "tags") values.tags = [...new Set(found)];
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

/** The first of the rule's body containers that holds text, or null (also when the rule names none). */
export function findRuleBody(document: Document, rule: SiteRule): Element | null {
  for (const selector of rule.body ?? []) {
    const node = queryFirst(document, selector);
    if (node && inlineText(node)) return node;
  }
  return null;
}
