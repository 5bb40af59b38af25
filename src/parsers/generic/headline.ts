import { inlineText } from "../engine/text.js";
import { isSiteName, SECTION_PREFIX, type SiteNames, squashName, stripSiteAffixes } from "./site-names.js";

/**
 * The headline as the page shows it. Readers see the h1 (or the element marked as the headline),
 * not og:title, which is often an SEO variant written for sharing; the metadata titles judge which
 * visible candidate is the story's headline, and stand in when none is.
 */

/** At most this many candidates are read: the first ones in document order. */
const MAX_CANDIDATES = 24;
const MAX_HEADLINE_LENGTH = 300;

/** Regions that hold the site's furniture, not the story's headline. */
const FURNITURE_TAGS = new Set(["FOOTER", "NAV", "ASIDE", "FORM", "DIALOG", "BUTTON", "LABEL"]);
const FURNITURE_NAMES =
  /(?:^|[\s_-])(?:modal|popup|newsletter|signup|sign-in|login|subscribe|cookie|adblock)(?:$|[\s_-])/i;
/** Names of the logo or masthead an h1 sometimes wraps. */
const LOGO_NAMES = /logo|brand|masthead|site[-_]?(?:title|name|branding)/i;

function namesOf(element: Element): string {
  return `${element.getAttribute("class") ?? ""} ${element.getAttribute("id") ?? ""}`;
}

function linksHome(anchor: Element | null): boolean {
  const href = anchor?.getAttribute("href")?.trim();
  if (!href) return false;
  if (href === "/" || href === "./" || href === "#") return true;
  try {
    const url = new URL(href, "http://x.invalid/");
    return url.pathname === "/" && !url.search;
  } catch {
    return false;
  }
}

/** Text a popup or sign-up box never holds: an element with more is the page shown in a modal frame. */
const PAGE_TEXT = 2_000;

function holdsPage(element: Element): boolean {
  return (element.textContent?.length ?? 0) > PAGE_TEXT;
}

function isFurniture(element: Element): boolean {
  if (LOGO_NAMES.test(namesOf(element))) return true;
  if (linksHome(element.querySelector("a")) && !element.textContent?.trim().includes(" ")) return true;
  let level = 0;
  for (let current = element.parentElement; current; current = current.parentElement, level++) {
    const tag = current.tagName.toUpperCase();
    if (tag === "BODY") break;
    if (FURNITURE_TAGS.has(tag)) return true;
    if (current.getAttribute("role") === "dialog" || current.getAttribute("aria-modal") === "true")
      return true;
    const names = namesOf(current);
    if (FURNITURE_NAMES.test(names) && !holdsPage(current)) return true;
    if (level < 2 && LOGO_NAMES.test(names)) return true;
    if (tag === "A" && linksHome(current)) return true;
  }
  return false;
}

/** The visible headline candidates, in document order: h1s and elements marked as the headline. */
export function readHeadlines(document: Document): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const nodes = Array.from(document.querySelectorAll("h1, [itemprop~=headline]"));
  for (const node of nodes) {
    if (out.length >= MAX_CANDIDATES) break;
    if (node.tagName.toUpperCase() === "META" || isFurniture(node)) continue;
    // Permalink marks printed after a heading ("¶", "#") are not part of it.
    const text = inlineText(node).replace(/\s*[¶§#]+$/u, "");
    if (!text || text.length > MAX_HEADLINE_LENGTH || seen.has(text)) continue;
    seen.add(text);
    out.push(text);
  }
  return out;
}

/** Word tokens that say something: four letters or more, or any run in a script without spaces. */
function significantTokens(text: string): string[] {
  const tokens = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return tokens.filter((token) => token.length >= 4 || /[^\p{Script=Latin}\p{N}]/u.test(token));
}

/** The reference's significant tokens, by their first five letters. */
function stemsOf(text: string): Set<string> {
  return new Set(significantTokens(text).map((token) => token.slice(0, 5)));
}

/**
 * How far a metadata title confirms a candidate: the number of significant tokens they share,
 * with the share of the candidate's tokens as the fraction (more shared words win, then a closer
 * match). One shared word confirms only a short title (half its words or more).
 */
function confirmation(candidate: string, reference: string): number {
  const tokens = significantTokens(candidate);
  const stems = stemsOf(reference);
  if (tokens.length === 0 || stems.size === 0) return 0;
  const shared = tokens.filter((token) => stems.has(token.slice(0, 5))).length;
  if (shared === 0 || (shared < 2 && shared / stems.size < 0.5)) return 0;
  return shared + shared / tokens.length / 2;
}

/** Separators between a title's parts, the colon included: used only to find a masthead's words. */
const TITLE_PARTS = /\s+[|\-–—·»:]{1,2}\s+|\s*[|·»_]\s*|:\s+/;

/**
 * True when all the candidate's words sit in the first or last part of a metadata title and not
 * in the rest: a blog name or masthead in an h1 ("Silicon Exposed" for "Silicon Exposed: Open
 * Verilog flow…"), which the title carries as its affix.
 */
function isTitleAffix(candidate: string, titles: string[], names: SiteNames): boolean {
  const tokens = significantTokens(candidate).map((token) => token.slice(0, 5));
  if (tokens.length === 0) return false;
  return titles.some((title) => {
    const parts = title.split(TITLE_PARTS).filter((part) => part.trim());
    // A title whose affix names the site already says which part is the headline.
    if (parts.length < 2 || parts.some((part) => isSiteName(part, names))) return false;
    const outer = [parts[0] ?? "", parts[parts.length - 1] ?? ""];
    return outer.some((part, i) => {
      const inPart = stemsOf(part);
      const rest = stemsOf((i === 0 ? parts.slice(1) : parts.slice(0, -1)).join(" "));
      return (
        inPart.size < rest.size &&
        tokens.every((token) => inPart.has(token)) &&
        !tokens.some((token) => rest.has(token))
      );
    });
  });
}

export interface TitleSources {
  headlines: string[];
  /** Metadata titles, most trusted first (JSON-LD / og / twitter / Readability's / <title>). */
  declared: (string | null | undefined)[];
  names: SiteNames;
  section: string | null;
}

/**
 * The visible headline that the metadata titles confirm (it shares words with one of them), else
 * the first metadata title without the site's name around it.
 */
export function chooseTitle({ headlines, declared, names, section }: TitleSources): string | null {
  const titles = declared
    .map((title) => title?.replace(/\s+/g, " ").trim())
    .filter((title): title is string => Boolean(title));
  const cleaned = titles.map((title) => stripSiteAffixes(title, names, section));
  const affixes = new Set<string>();
  titles.forEach((title, i) => {
    const kept = cleaned[i] ?? title;
    if (kept.length < title.length) affixes.add(squashName(title.replace(kept, "")));
  });
  const candidates = headlines.filter(
    (headline) =>
      !isSiteName(headline, names) &&
      !affixes.has(squashName(headline)) &&
      !SECTION_PREFIX.test(headline) &&
      !isTitleAffix(headline, titles, names),
  );
  if (titles.length === 0) return candidates[0] ?? null;
  let best: string | null = null;
  let bestScore = 0;
  for (const candidate of candidates) {
    const score = Math.max(...cleaned.map((title) => confirmation(candidate, title)));
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best ?? cleaned[0] ?? null;
}
