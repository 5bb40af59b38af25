import type { BodyText } from "./measure-body.js";
import type { PageSignals } from "./read-facts.js";

/** A body shorter than this is not an article (an index page, an error page, a teaser-less stub). */
const MIN_ARTICLE_WORDS = 25;
/** Without any sign of an article (JSON-LD, og:type, microdata, readable prose), a body needs this many words. */
const UNSIGNALLED_MIN_WORDS = 50;
/** Share of body text inside links above which the "body" is a list of links, not a story. */
const MAX_LINK_DENSITY = 0.5;

export type PageVerdict = { isArticle: true } | { isArticle: false; reason: string };

/** Stage 6: is this page one story, or a listing, an error page, a stub? */
export function classifyPage(
  body: Pick<BodyText, "words" | "linkDensity">,
  signals: PageSignals,
): PageVerdict {
  const { words, linkDensity } = body;
  if (signals.declaresListing) {
    return {
      isArticle: false,
      reason: `not an article: the page declares itself a listing (og:type ${signals.ogType})`,
    };
  }
  const signalled =
    signals.jsonLdArticle || signals.articleMicrodata || signals.ogType === "article" || signals.readerable;
  const linky = linkDensity > MAX_LINK_DENSITY;
  if (words < MIN_ARTICLE_WORDS || linky || (!signalled && words < UNSIGNALLED_MIN_WORDS)) {
    const links = linky ? `, ${Math.round(linkDensity * 100)}% of it links` : "";
    return { isArticle: false, reason: `not an article: ${words} words of body text${links}` };
  }
  return { isArticle: true };
}
