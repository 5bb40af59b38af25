import { OUTLET_WORDS } from "./outlet-words.js";
import { creditKey, type KnownPublisher, publisherForCredit, publisherForDateline } from "./publishers.js";

/**
 * Readers of the places a page names where its story came from: a byline's outlet ("By Ann Lee,
 * Associated Press", "Ann Lee | Reuters"), a dateline ("NEW YORK (AP) —", "(Reuters) -"), a
 * sign-off ("— AFP"), a source or credit line ("Source: dpa", "© 2024 Reuters") and a
 * "republished from" line ("This article originally appeared in The Conversation"). Each reads
 * one short text; none searches running text for a name, so "AP" in a sentence names nobody.
 */
export interface Credit {
  /** The registry entry, when the name is a known publisher. */
  known: KnownPublisher | null;
  name: string;
}

function known(publisher: KnownPublisher | undefined): Credit | null {
  return publisher ? { known: publisher, name: publisher.name } : null;
}

/** Job titles after an outlet in a byline: "AP Sports Writer", "Reuters correspondent". */
const ROLE =
  /^(?:[\p{L}.'-]+\s+){0,3}(?:writer|correspondent|reporter|editor|journalist|staff|contributor|columnist|bureau|desk|photographer)s?$/iu;

/** A date printed after the byline's names: "Associated Press November 19, 2019, 9:02 AM". */
const PRINTED_DATE =
  /\s+(?:(?:updated|published|posted|on)\s+)?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\d{1,2}\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b).*$/i;

/** Outlets a byline names after its people: comma, pipe, slash or dash separated segments. */
export function bylineCredits(byline: string | null | undefined): Credit[] {
  if (!byline || byline.length > 300) return [];
  const text = byline.replace(/^\s*(?:by|from)\s*:?\s+/i, "").replace(PRINTED_DATE, "");
  const out: Credit[] = [];
  const segments = text.split(/\s*(?:[,|/•·]|\s[-–—]\s|\bfor\b)\s*/i);
  for (const [index, segment] of segments.entries()) {
    // The names come first: a later segment may be an outlet the registry does not list.
    const credit = segmentCredit(segment.trim()) ?? (index > 0 ? outletNamed(segment.trim()) : null);
    if (credit && !out.some((c) => creditIdentity(c) === creditIdentity(credit))) out.push(credit);
  }
  return out;
}

/**
 * A byline segment after the names that names an outlet by its kind: its last word is an outlet's
 * ("…, Sioux Falls Argus Leader"), or it starts with "The" and has one ("The Gazette of Example
 * County"). A place that only contains such a word ("Sun Valley") is no outlet.
 */
export function outletNamed(segment: string): Credit | null {
  if (segment.length < 4 || segment.length > 60 || ROLE.test(segment) || !looksLikeName(segment)) return null;
  const last = segment.split(/\s+/).pop() ?? "";
  const named = OUTLET_WORDS.test(last) || (/^the\s/i.test(segment) && OUTLET_WORDS.test(segment));
  return named ? { known: null, name: segment } : null;
}

function segmentCredit(segment: string): Credit | null {
  if (!segment || segment.length > 80) return null;
  const whole = known(publisherForCredit(segment));
  if (whole) return whole;
  // "AP National Political Writer": an outlet, then a role.
  const words = segment.split(/\s+/);
  for (let cut = Math.min(words.length - 1, 5); cut >= 1; cut--) {
    const rest = words.slice(cut).join(" ");
    if (!ROLE.test(rest)) continue;
    const head = known(publisherForCredit(words.slice(0, cut).join(" ")));
    if (head) return head;
  }
  return null;
}

/** "(AP) —", "(Reuters) -", "(EFE).-", "(dpa):" within the opening words of a story. */
const DATELINE_PAREN = /\(\s*([^()\n]{1,30}?)\s*\)\s*(?:[-–—:]|\.\s*[-–—])/gu;
/** "MOSCOW, November 19. /TASS/." */
const DATELINE_SLASH = /\/\s*([\p{L}-]{2,20})\s*\//gu;
/** How far into the story's text a dateline may end. */
const DATELINE_REACH = 140;

/** The agency a story's dateline names, from the opening of its text. */
export function datelineCredit(bodyText: string | null | undefined): Credit | null {
  if (!bodyText) return null;
  const opening = bodyText.trimStart().slice(0, DATELINE_REACH + 40);
  for (const pattern of [DATELINE_PAREN, DATELINE_SLASH]) {
    pattern.lastIndex = 0;
    for (const match of opening.matchAll(pattern)) {
      if ((match.index ?? 0) > DATELINE_REACH) break;
      // A dateline names the agency alone ("(AP)"), or the place and the agency ("(Reuters Health)").
      const token = match[1] ?? "";
      const credit =
        known(publisherForDateline(token)) ?? known(publisherForDateline(token.split(/\s+/)[0] ?? ""));
      if (credit) return credit;
    }
  }
  return null;
}

/** "… he said. — AP", "-- Bernama": an agency signing off at the end of the story. */
const SIGN_OFF = /(?:^|\s)[-–—]{1,2}\s*([\p{L}][\p{L} .&'-]{1,40})\s*$/u;

export function signOffCredit(bodyText: string | null | undefined): Credit | null {
  if (!bodyText) return null;
  const match = SIGN_OFF.exec(bodyText.trimEnd().slice(-60));
  return match?.[1] ? known(publisherForCredit(match[1])) : null;
}

/**
 * "This article originally appeared in X", "Republished from X", "First published by X",
 * "Reprinted with permission from X", in English and a few other languages: the phrase is the
 * evidence, so the name need not be a known publisher.
 */
const SUBJECT =
  "(?:(?:this|the|a|dieser|diese|dieses|der|cet|cette|este|esta|questo|questa|o|a)\\s+)?(?:(?:version\\s+of\\s+this|original)\\s+)?(?:(?:article|story|post|piece|report|column|essay|interview|artikel|beitrag|text|artículo|articulo|articolo|artigo|nota|texte)\\s+)?(?:(?:was|is|has\\s+been|had\\s+been|ist|wurde|a\\s+été|fue|è\\s+stato|foi)\\s+)?";
const PHRASE =
  "(?:(?:originally|first)\\s+(?:appeared|published|posted|ran|featured)(?:\\s+(?:in|on|at|by|with))?|(?:republished|reproduced|reprinted|syndicated|adapted)\\s+(?:here\\s+)?(?:from|with\\s+(?:the\\s+)?permission\\s+(?:of|from))|(?:publicado|publicada)\\s+originalmente\\s+(?:en|por|em|no|na)|pubblicato\\s+originariamente\\s+(?:su|da|in)|(?:zuerst|ursprünglich)\\s+(?:erschienen\\s+)?(?:in|bei|auf)|erschien\\s+zuerst\\s+(?:in|bei|auf)|(?:initialement|publié\\s+à\\s+l'origine|publié\\s+initialement)\\s*(?:publié\\s+)?(?:dans|par|sur))";
/** The phrase opens its line (after "This article was" and the like): a sentence that only mentions it is no credit. */
const REPUBLISHED = new RegExp(`^[\\s*_–—-]*${SUBJECT}${PHRASE}\\s*:?\\s+(.{2,80})`, "iu");
/**
 * "Provided by X", "Courtesy of X", "Distributed by X": also said of photos, data and widgets
 * ("Market data provided by …"), so only a known publisher counts.
 */
const PROVIDED = new RegExp(
  `^[\\s*_–—-]*${SUBJECT}(?:provided\\s+by|courtesy\\s+of|distributed\\s+by)\\s*:?\\s+(.{2,80})`,
  "iu",
);
/** Lines about a picture, a video or a graphic credit those, not the story. */
const MEDIA_LINE =
  /^(?:photo|photos|photograph|image|images|picture|pictures|video|graphic|illustration|foto|fotos|bild|imagen)\b/iu;
/** Where a name printed after such a phrase ends. */
const NAME_END =
  /\s*(?:\.(?:\s|$)|[,;:!?()[\]|]|\s(?:and|under|with|on|as|is|was|in|for|via|at)\s|\s[-–—]\s|$)/iu;
const SMALL_WORDS = new Set([
  "of",
  "the",
  "de",
  "la",
  "le",
  "der",
  "die",
  "das",
  "del",
  "di",
  "for",
  "and",
  "&",
]);

function nameAfter(text: string): string {
  const end = NAME_END.exec(text);
  return (end ? text.slice(0, end.index) : text).trim();
}

/** A publisher named in a "republished from" line, known or not (the phrase is the evidence). */
export function republishedFromCredit(line: string | null | undefined): Credit | null {
  if (!line || line.length > 400 || MEDIA_LINE.test(line.trim())) return null;
  const strong = REPUBLISHED.exec(line)?.[1];
  if (strong) {
    const name = nameAfter(strong);
    const registered = known(publisherForCredit(name));
    if (registered) return registered;
    if (name && looksLikeName(name)) return { known: null, name };
  }
  const weak = PROVIDED.exec(line)?.[1];
  return weak ? known(publisherForCredit(nameAfter(weak))) : null;
}

const UNNAMED_SOURCE = new RegExp(
  `^[\\s*_–—-]*${SUBJECT}(?:republished|reproduced|reprinted|syndicated|adapted)\\s+(?:here\\s+)?from\\s+(?:its|the|an?)\\s+(?:original\\s+)?(?:source|publisher|partner|original)\\b`,
  "iu",
);

/**
 * A line that says the story is another's without naming it ("This article has been adapted from
 * its original source."): the copyright lines beside it name that source.
 */
export function saysRepublishedUnnamed(line: string | null | undefined): boolean {
  if (!line || line.length > 400 || MEDIA_LINE.test(line.trim())) return false;
  return UNNAMED_SOURCE.test(line);
}

/** "Copyright © 2019 Press TV. All rights reserved.", "© 2024 Example Media Ltd": the holder's name. */
const COPYRIGHT_HOLDER =
  /^(?:copyright\s*)?(?:©|\(c\))?\s*(?:copyright\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(.+?)\s*(?:[.,]?\s*all rights reserved\b.*|\.)?$/iu;

export function copyrightHolder(line: string | null | undefined): Credit | null {
  if (!line || line.length > 160) return null;
  const text = line.replace(/\s+/g, " ").trim();
  if (!COPYRIGHT.test(text)) return null;
  const name = COPYRIGHT_HOLDER.exec(text)?.[1]?.trim();
  if (!name || !looksLikeName(name)) return null;
  return known(publisherForCredit(name)) ?? { known: null, name };
}

/** Dates and times follow "first published" as often as names do ("First published on Nov 20"). */
const DATE_START =
  /^(?:\p{N}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|today|yesterday|last|this)\p{L}*\.?(?:\s|$))/iu;

/** A proper name: at most six words, each capitalised, a number, or a linking word; not a date. */
function looksLikeName(text: string): boolean {
  const words = text.split(/\s+/);
  if (words.length > 6 || DATE_START.test(text)) return false;
  if (!/^\p{Lu}/u.test(text)) return false;
  return words.every(
    (w) => /^[\p{Lu}\p{N}]/u.test(w) || SMALL_WORDS.has(w.toLowerCase()) || /\.\w{2,}$/.test(w),
  );
}

/** "Source: X", "Quelle: X", "Fuente: X", "Fonte: X", "Via: X". */
const SOURCE_LABEL =
  /^(?:source|sources|quelle|quellen|fuente|fonte|bron|kilde|källa|źródło|zdroj|forrás|kaynak|via|credit|courtesy)\s*:\s*(.{2,80})$/iu;
const COPYRIGHT = /^(?:©|\(c\)|copyright\b)/i;

/**
 * How a short line credits a publisher: a labelled source line, a copyright line (its holder is
 * often the site's own parent company, so it weighs little), or a known name standing alone.
 */
export type LineKind = "source-line" | "copyright-line" | "name-line";

export function sourceLineCredit(line: string | null | undefined): { credit: Credit; kind: LineKind } | null {
  if (!line || line.length > 160) return null;
  const text = line.replace(/\s+/g, " ").trim();
  if (MEDIA_LINE.test(text)) return null;
  const labelled = SOURCE_LABEL.exec(text)?.[1];
  if (labelled) {
    // "Source: Reuters, AFP" names the first; "Quelle: dpa/AFP" too.
    const first = labelled.split(/\s*[,;/]\s*|\s+(?:and|und|y|e|et)\s+/i)[0] ?? "";
    const credit = known(publisherForCredit(first));
    return credit ? { credit, kind: "source-line" } : null;
  }
  const whole = known(publisherForCredit(text));
  if (!whole) return null;
  return { credit: whole, kind: COPYRIGHT.test(text) ? "copyright-line" : "name-line" };
}

/** The credit a short line carries, a republished-from phrase first. */
export function lineCredit(line: string): { credit: Credit; evidence: "republished-line" | LineKind } | null {
  const republished = republishedFromCredit(line);
  if (republished) return { credit: republished, evidence: "republished-line" };
  const source = sourceLineCredit(line);
  return source ? { credit: source.credit, evidence: source.kind } : null;
}

/** A name as compared between credits that are not in the registry. */
export function creditIdentity(credit: Credit): string {
  return credit.known
    ? `known:${credit.known.name}`
    : `name:${creditKey(credit.name).replace(/^the\s+/, "")}`;
}
