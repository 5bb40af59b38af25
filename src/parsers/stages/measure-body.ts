import { escapeAttribute, sanitizeBody } from "../engine/sanitize.js";
import { blockText, countWords, inlineTextLength, linkedTextLength } from "../engine/text.js";
import type { JsonLdArticle } from "../generic/json-ld.js";

export interface BodyText {
  html: string;
  text: string;
  words: number;
  /** Share of the body's text inside links. */
  linkDensity: number;
  /** Set when the text came from the page's JSON-LD instead of its markup. */
  warning: string | null;
}

export const EMPTY_BODY: BodyText = { html: "", text: "", words: 0, linkDensity: 0, warning: null };

/** Below this many words a DOM body is never replaced by the declared one: a stub is a stub. */
const MIN_DECLARED_WORDS = 25;
/** The declared body replaces the DOM's when it has this many times its words. */
const DECLARED_RATIO = 1.5;

export interface MeasureOptions {
  jsonLd: JsonLdArticle | null;
  /** A paywall prompt or marker is on the page. */
  paywallShown: boolean;
  /** The JSON-LD articleBody may stand in for a short DOM body (off for a rule's own body with the fallback off). */
  allowDeclared: boolean;
}

/**
 * Stage 5: the cleaned body as sanitised HTML and plain text, with its size. When the page's
 * JSON-LD declares a much longer articleBody than the markup shows, that text is used instead.
 */
export function measureBody(content: Element | null, options: MeasureOptions): BodyText {
  const text = content ? blockText(content, { skipCaptions: true }) : "";
  const words = countWords(text);
  const declared = options.allowDeclared ? declaredBody(options.jsonLd, options.paywallShown) : null;
  if (declared && declared.words > Math.max(words * DECLARED_RATIO, MIN_DECLARED_WORDS)) {
    const warning = `body taken from the page's JSON-LD articleBody (${declared.words} words; the page showed ${words})`;
    return { ...declared, linkDensity: 0, warning };
  }
  if (!content) return EMPTY_BODY;
  return {
    html: sanitizeBody(content),
    text,
    words,
    linkDensity: linkTextShare(content),
    warning: null,
  };
}

/**
 * The full text a page declares in JSON-LD. Never for a page that shows a paywall or declares
 * itself paid: that text is for search engines, and taking it would be getting round the paywall.
 */
function declaredBody(
  jsonLd: JsonLdArticle | null,
  paywallShown: boolean,
): { text: string; words: number; html: string } | null {
  const body = jsonLd?.articleBody;
  if (!body || paywallShown || jsonLd.isAccessibleForFree === false || jsonLd.hasPaywalledPart) return null;
  if (/<[a-z!/]/i.test(body)) return null; // HTML in a JSON string: too unreliable to trust
  const paragraphs = body
    .split(/\n+/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  const text = paragraphs.join("\n\n");
  const html = paragraphs.map((p) => `<p>${escapeAttribute(p)}</p>`).join("\n");
  return { text, words: countWords(text), html };
}

function linkTextShare(content: Element): number {
  const total = inlineTextLength(content);
  if (total === 0) return 0;
  return linkedTextLength(content) / total;
}
