import { removeCreditLines } from "../engine/credit-lines.js";
import { type CaptionedImage, removeRepeatedCaptions } from "../engine/images.js";
import { type HeaderFacts, removeBodyNoise, removeHeaderEchoes } from "../engine/noise.js";
import type { GenericMetadata } from "../generic/metadata.js";
import type { RuleValues } from "../sites/apply-rule.js";

/** The syndication facts a body's noise lines carried. */
export interface BodyLines {
  /** URLs printed after "Original URL:" inside the body, in order. */
  originalUrls: string[];
  /** Publisher credit lines at the body's head or foot ("The Wall Street Journal"), in reading order. */
  creditLines: string[];
}

/**
 * Stage 4: remove from the chosen body what is not story text: prompts and related-story
 * headlines, the header printed again (headline, dek, byline, datelines), credit lines, and
 * captions repeated as paragraphs. The lines that tell where the story came from are returned.
 */
export function cleanBody(
  content: Element | null,
  header: HeaderFacts,
  captions: Map<string, CaptionedImage>,
): BodyLines {
  if (!content) return { originalUrls: [], creditLines: [] };
  const { originalUrls } = removeBodyNoise(content);
  removeHeaderEchoes(content, header);
  const creditLines = removeCreditLines(content);
  removeRepeatedCaptions(content, captions);
  return { originalUrls, creditLines };
}

/** The header fields a body may print again: the rule's value where it found one, else the cascade's. */
export function headerFacts(fromRule: RuleValues, generic: GenericMetadata): HeaderFacts {
  return {
    title: fromRule.title ?? generic.title,
    standfirst: fromRule.standfirst ?? generic.standfirst,
    byline: fromRule.byline ?? generic.byline,
    section: fromRule.section ?? generic.section,
  };
}
