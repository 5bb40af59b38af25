import { siteOf } from "../../domain/url.js";
import { plainText, TEXT_LIMITS } from "../engine/plain-text.js";
import { chooseAuthors, cleanAuthorNames, tidyByline } from "../generic/authors.js";
import { publisherCountry, resolveDate } from "../generic/date-resolution.js";
import { toIsoUtc } from "../generic/dates.js";
import { resolveLanguage } from "../generic/language.js";
import type { GenericMetadata } from "../generic/metadata.js";
import { publisherForHost } from "../generic/publishers.js";
import type { RuleValues } from "../sites/apply-rule.js";
import type { RuleField, SiteRule } from "../sites/types.js";

export interface ResolveInput {
  rule: SiteRule | null;
  ruleValues: RuleValues;
  generic: GenericMetadata;
  /** When false, a field the rule covers comes from the rule alone (null when its selectors found nothing). */
  fallback: boolean;
  isArticle: boolean;
  finalUrl: string;
  fetchedAt: string;
  /** The article's text, which the language is judged by (empty for a page that is not an article). */
  text?: string;
}

export interface ResolvedFields {
  title: string | null;
  standfirst: string | null;
  byline: string | null;
  authors: string[];
  publishedAt: string | null;
  publishedAtRaw: string | null;
  modifiedAt: string | null;
  modifiedAtRaw: string | null;
  publisher: string | null;
  section: string | null;
  tags: string[];
  language: string | null;
  warnings: string[];
}

/**
 * Stage 7: one value per field, the site rule's where it covers the field, the generic cascade's
 * otherwise. A listing's bylines and dates belong to the stories it lists, not to the page.
 */
export function resolveFields(input: ResolveInput): ResolvedFields {
  const { isArticle } = input;
  const host = siteOf(input.finalUrl);
  const fromRule = plainRuleValues(input.ruleValues);
  const generic = plainGeneric(input.generic);
  const ruleOwns = (field: RuleField, value: unknown) =>
    Boolean(input.rule?.fields[field]) && (value !== undefined || !input.fallback);
  const pick = <T>(field: RuleField, ruleValue: T | undefined, genericValue: T): T | null =>
    ruleOwns(field, ruleValue) ? (ruleValue ?? null) : genericValue;

  const byline = isArticle ? tidyByline(pick("byline", fromRule.byline, generic.byline)) : null;
  // Authors follow the byline's source: the rule's byline, or the cascade's names.
  const authors = !isArticle
    ? []
    : ruleOwns("byline", fromRule.byline)
      ? cleanAuthorNames([fromRule.byline ?? ""].filter(Boolean), generic.siteNames)
      : chooseAuthors(
          generic.authorSources.length ? generic.authorSources : byline ? [[byline]] : [],
          generic.siteNames,
        );
  const dates = isArticle ? resolveDates(input, fromRule, generic, ruleOwns) : NO_DATES;
  const { publishedAt, publishedAtRaw, modifiedAt, modifiedAtRaw, warnings } = dates;
  return {
    title: pick("title", fromRule.title, generic.title),
    standfirst: pick("standfirst", fromRule.standfirst, generic.standfirst),
    byline,
    authors,
    publishedAt,
    publishedAtRaw,
    modifiedAt,
    modifiedAtRaw,
    publisher: input.rule?.publisher ?? generic.publisher ?? publisherForHost(host)?.name ?? hostAsName(host),
    section: pick("section", fromRule.section, generic.section),
    tags: pick("tags", fromRule.tags, generic.tags) ?? [],
    language: resolveLanguage(generic.language, `${generic.title ?? ""}\n${input.text ?? ""}`),
    warnings,
  };
}

interface Dates {
  publishedAt: string | null;
  publishedAtRaw: string | null;
  modifiedAt: string | null;
  modifiedAtRaw: string | null;
  warnings: string[];
}

const NO_DATES: Dates = {
  publishedAt: null,
  publishedAtRaw: null,
  modifiedAt: null,
  modifiedAtRaw: null,
  warnings: [],
};

/**
 * The rule's date where it covers the field; else one instant from the page's values (see
 * date-resolution.ts), read with the publisher's country's zone and day-month order.
 */
function resolveDates(
  input: ResolveInput,
  fromRule: RuleValues,
  generic: GenericMetadata,
  ruleOwns: (field: RuleField, value: unknown) => boolean,
): Dates {
  const notAfter = input.fetchedAt;
  const country = publisherCountry(input.finalUrl, generic.language);
  const options = { notAfter, dayFirst: country.dayFirst, timeZone: country.timeZone };
  const fromRuleValue = (raw: string | undefined) => ({
    instant: toIsoUtc(raw, { notAfter }),
    raw: raw ?? null,
  });
  const modified = ruleOwns("modifiedAt", fromRule.modifiedAt)
    ? fromRuleValue(fromRule.modifiedAt)
    : resolveDate(generic.modifiedCandidates, options);
  const published = ruleOwns("publishedAt", fromRule.publishedAt)
    ? fromRuleValue(fromRule.publishedAt)
    : resolveDate(generic.publishedCandidates, { ...options, notLaterThan: modified?.instant ?? null });
  const unread = published?.instant
    ? null
    : (published?.raw ?? generic.publishedCandidates.find((c) => c.source === "metadata")?.raw ?? null);
  return {
    publishedAt: published?.instant ?? null,
    publishedAtRaw: published?.raw ?? unread,
    modifiedAt: modified?.instant ?? null,
    modifiedAtRaw: modified?.raw ?? generic.modifiedCandidates[0]?.raw ?? null,
    warnings: unread ? [`unreadable publication date: ${unread}`] : [],
  };
}

/** A site that names itself nowhere on the page is known by its domain ("vse-diety.com"). */
function hostAsName(host: string): string | null {
  return /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(host) && !/^\d+(?:\.\d+)+$/.test(host) ? host : null;
}

/** Text fields as plain text (no markup, no control characters, capped), before anything reads them. */
function plainGeneric(generic: GenericMetadata): GenericMetadata {
  return {
    ...generic,
    title: plainText(generic.title, TEXT_LIMITS.title),
    standfirst: plainText(generic.standfirst, TEXT_LIMITS.standfirst),
    byline: plainText(generic.byline, TEXT_LIMITS.byline),
    authorNames: plainList(generic.authorNames, TEXT_LIMITS.byline),
    authorSources: generic.authorSources.map((source) => plainList(source, TEXT_LIMITS.byline)),
    publisher: plainText(generic.publisher, TEXT_LIMITS.name),
    section: plainText(generic.section, TEXT_LIMITS.section),
    tags: plainList(generic.tags, TEXT_LIMITS.tag),
  };
}

function plainRuleValues(values: RuleValues): RuleValues {
  const plain = (value: string | undefined, limit: number) => plainText(value, limit) ?? undefined;
  return {
    title: plain(values.title, TEXT_LIMITS.title),
    standfirst: plain(values.standfirst, TEXT_LIMITS.standfirst),
    byline: plain(values.byline, TEXT_LIMITS.byline),
    publishedAt: values.publishedAt,
    modifiedAt: values.modifiedAt,
    section: plain(values.section, TEXT_LIMITS.section),
    tags: values.tags && plainList(values.tags, TEXT_LIMITS.tag),
  };
}

function plainList(values: readonly string[], limit: number): string[] {
  return values.map((value) => plainText(value, limit)).filter((value): value is string => value !== null);
}
