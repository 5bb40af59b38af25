import { OUTLET_WORDS } from "./outlet-words.js";
import { publisherForName } from "./publishers.js";
import { isSiteName, type SiteNames } from "./site-names.js";

/**
 * From a printed byline (or the page's author metadata) to clean person names:
 * "By Ana Silva, Senior Reporter, and Tom Lee | @tomlee" → ["Ana Silva", "Tom Lee"]. Credits
 * that name an organisation (the site itself, a wire, a desk, an account) are no person's: a wire
 * becomes provenance elsewhere, the rest is dropped.
 */
const LEADING_BY =
  /^(?:(?:(?:written|words|reporting|reported|story|text|analysis|interview|posted|published|publicado|publicada|escrito|publié|pubblicato|geschrieben)\s+)?(?:by|from|von|par|por|di|door|av|af)\s*[:-]?\s+|(?:text|texto|texte|testo|текст|автор|autor|auteur|autore|author|reporter|redakteur|redaktion)\s*:\s*)/iu;

const JOB_TITLE_WORDS =
  /\b(reporter|writer|editor|correspondent|columnist|contributor|journalist|producer|photographer|analyst|chief|director|staff|bureau|senior|deputy|associate|editorial|newsroom|team|desk|intern|fellow|host|anchor|presenter|critic|commentator|manager|officer|head of|political|economics|business|sports?|technology|health|science)\b/i;

const NOT_A_NAME = /(@|:|https?:|www\.|\.com\b|\d{2,}|updated|published|posted|minute|hour|ago|read time)/i;

/** Where a date printed in the byline block starts ("Joe Wee Monday, February 29, 2016 @ 11:10 PM"). */
const DATE_START =
  /\s*(?:[-–—|•·,@]\s*)?(?:\b(?:on|am|le|el|il|em)\s+)?(?:\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b\d{4}-\d{2}-\d{2}(?:\b|T)|\b\d{1,2}:\d{2}\b|\b(?:updated|published|posted)\b).*$/i;

/** Splits one printed byline into name candidates. */
function splitByline(byline: string): string[] {
  return (
    byline
      .replace(/\s+/g, " ")
      .replace(DATE_START, "")
      .replace(LEADING_BY, "")
      // "y" joins names in Spanish, but "Bruce Y. Lee" has an initial.
      .split(/\s*(?:,|;|\||\/|•|·|\s[-–—]\s|\band\b|&|\bund\b|\bet\b|\by\b(?!\.)|\bwith\b|\n)\s*/i)
      .map((part) => part.replace(LEADING_BY, "").trim())
  );
}

function tidyName(candidate: string): string | null {
  let name = candidate
    .replace(/\([^)]*\)/g, " ")
    // "Marcus Walker in Kyiv", "Jane Doe for The Guardian": a dateline or outlet, not the name.
    .replace(/\s+(?:in|at|for|from)\s+(?:the\s+)?\p{Lu}.*$/u, "")
    .replace(/^[\s"'“”‘’\-–—:]+|[\s"'“”‘’\-–—:.,]+$/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (!name || NOT_A_NAME.test(name) || JOB_TITLE_WORDS.test(name)) return null;
  if (!/\p{L}/u.test(name)) return null;
  const words = name.split(" ");
  if (words.length > 5) return null;
  // ALL-CAPS bylines are a typographic choice, not a name's spelling; one capitalised word is an
  // acronym ("RT", or credentials: "MS, RDN"), left as it is for the organisation test.
  if (words.length > 1 && name === name.toUpperCase() && /\p{Lu}{2}/u.test(name)) {
    name = words.map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join(" ");
  }
  return name;
}

const NOT_WRITING =
  /\((?:[^)]*\b)?(?:photo|photos|photography|pictures|images|video|illustrations?|graphics)\b[^)]*\)/i;

/** Words that make a credit an organisation's, a desk's or an account's. */
const ORGANISATION_WORDS =
  /\b(?:press|news|newswire|wires?|services?|agency|agencies|media|network|newsroom|inc|ltd|llc|gmbh|corp|magazine|online|admin|administrator|webmaster|editorial|redaktion|rédaction|redacción|redazione|redação|ministry|ministries|department|government|office)\b/i;
/** Lower-case words that may sit inside a person's name. */
const NAME_PARTICLES =
  /^(?:van|von|der|den|de|del|della|di|da|das|do|dos|du|la|le|el|al|bin|binti|ibn|ter|ten|y|e|zu|af|av|st\.?)$/;
const ROMAN_NUMERAL = /^(?:I{1,3}|IV|V|VI{0,3}|IX|X)$/;

/**
 * True when the credit is not a person's: the site's own name, a known wire, a name with an
 * organisation's word, "The …", an account or handle ("admin", "kei_eno"), an acronym ("RT",
 * "PMJS"), or words a name would capitalise left in lower case ("Syrian defense ministries").
 */
/** Two to four capitalised Latin words ("Haki Benita"), no acronym or camel-cased brand among them. */
function looksLikePersonName(words: string[]): boolean {
  return (
    words.length >= 2 &&
    words.length <= 4 &&
    words.every((word) => NAME_PARTICLES.test(word) || /^\p{Lu}[\p{Ll}'’.-]*$/u.test(word))
  );
}

export function isOrganisationCredit(name: string, site?: SiteNames): boolean {
  if (ORGANISATION_WORDS.test(name) || /^the\s/i.test(name)) return true;
  if (publisherForName(name)) return true;
  const words = name.split(/\s+/);
  // A personal blog is named after its author: a person's name stays a person's.
  if (site && isSiteName(name, site) && (!looksLikePersonName(words) || OUTLET_WORDS.test(name))) return true;
  if (words.length === 1) {
    const word = words[0] ?? "";
    if (/[_\d]/.test(word) || (/\p{Ll}/u.test(word) && !/\p{Lu}/u.test(word))) return true;
    if (word.length >= 2 && word === word.toUpperCase() && /\p{Lu}/u.test(word)) return true;
    return false;
  }
  // Latin-script names capitalise each word but their particles; an acronym inside is an organisation.
  if (!/\p{Script=Latin}/u.test(name)) return false;
  return words.some(
    (word) =>
      (/^\p{Ll}/u.test(word) && !NAME_PARTICLES.test(word)) ||
      (/^\p{Lu}{2,}$/u.test(word) && !ROMAN_NUMERAL.test(word)),
  );
}

export function cleanAuthorNames(sources: readonly string[], site?: SiteNames): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const source of sources) {
    // "Adrian Malloch (photography)": a credit for the pictures, not the text.
    const parts = splitByline(source).filter((part) => part && !NOT_WRITING.test(part));
    for (const part of parts) {
      const name = tidyName(part);
      if (!name || isOrganisationCredit(name, site)) continue;
      // One word is a name only when it is the whole credit ("by Regan"); beside others it is a
      // place or a desk ("Reuters, Washington").
      if (!name.includes(" ") && parts.length > 1 && /\p{Script=Latin}/u.test(name)) continue;
      const key = name.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(name);
    }
  }
  return out;
}

/**
 * The authors from the first source that names a person; a later source that names the same
 * people and more wins (a printed byline of three where the JSON-LD lists the first).
 */
export function chooseAuthors(sources: readonly (readonly string[])[], site?: SiteNames): string[] {
  const lists = sources.map((source) => cleanAuthorNames(source, site)).filter((list) => list.length > 0);
  let chosen = lists[0] ?? [];
  for (const list of lists.slice(1)) {
    const keys = new Set(list.map((name) => name.toLowerCase()));
    if (list.length > chosen.length && chosen.every((name) => keys.has(name.toLowerCase()))) chosen = list;
  }
  return chosen;
}

/** A printed byline trimmed of its "By" and surrounding noise, as shown to readers. */
export function tidyByline(byline: string | null | undefined): string | null {
  if (!byline) return null;
  const text = byline.replace(/\s+/g, " ").trim();
  return text || null;
}
