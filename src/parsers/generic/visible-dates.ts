import { classOrIdMatches } from "../engine/name-index.js";
import { shortTextOf } from "../engine/text.js";

/**
 * Dates as the page prints them ("Published 11:11 PM EST Nov 19, 2019", "기사입력 :[ 2018-09-28
 * 17:32 ]", "on Monday, November 18th, 2019 at 11:08 a.m."), the last source of a publication date
 * when the page has no machine-readable one, and the URL's date (/2024/05/01/) after them.
 */

const MONTH =
  "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?|januar|februar|märz|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre";
const TIME =
  "\\d{1,2}[:.]\\d{2}(?::\\d{2})?(?:\\s*[ap]\\.?\\s?m\\.?(?![a-z]))?(?:\\s*(?:[A-Z]{1,4}T|UTC|GMT)\\b)?";
const YEAR = "(?:19|20)\\d{2}";

/** The date forms looked for, most specific first; each may carry a time before or after it. */
const DATE_FORMS = [
  // 2018-09-28 17:32, 2018-09-28T17:32:00+09:00
  `${YEAR}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2})?(?:Z|[+-]\\d{2}:?\\d{2})?)?`,
  // 11:11 PM EST Nov 19, 2019
  `${TIME},?\\s+(?:${MONTH})\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+${YEAR}`,
  // November 18th, 2019 at 11:08 a.m.
  `(?:${MONTH})\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+${YEAR}(?:,?\\s+(?:at\\s+|-\\s+|à\\s+|um\\s+)?${TIME})?`,
  // 25. September 2018, 19 Nov 2019 07:09 GMT, 12 de octubre de 2017
  `\\d{1,2}(?:st|nd|rd|th)?\\.?\\s+(?:de\\s+)?(?:${MONTH})\\s+(?:de\\s+)?${YEAR}(?:,?\\s+(?:at\\s+|-\\s+|à\\s+|um\\s+)?${TIME})?`,
  // 05/10/2018, 13.11.2019, 23:06
  `\\d{1,2}[./]\\d{1,2}[./]${YEAR}(?:,?\\s+${TIME})?`,
];
const DATE_IN_TEXT = new RegExp(DATE_FORMS.map((form) => `(?:${form})`).join("|"), "iu");

const DATES_IN_TEXT = new RegExp(DATE_IN_TEXT.source, "giu");
/** Every date form has one: a text without a digit holds no date, collapsed or not. */
const HAS_DIGIT = /[0-9]/;

/** Words that mark the date after them as a revision's ("Updated Nov. 19, 2019 8:21 am ET / Original …"). */
const UPDATE_WORDS =
  /(?:updated?|modified|revised|aktualisiert|geändert|mis à jour|actualizad[oa]|atualizad[oa]|aggiornat[oa]|更新|수정)\W{0,6}(?:\p{L}+\W{1,3}){0,2}$/iu;

/**
 * The first date printed in a short text, as printed, passing over a date the text calls an
 * update; null when there is none.
 */
export function findDateInText(text: string): string | null {
  // Every form has a digit: most texts have none, and this saves running the forms over them.
  if (!HAS_DIGIT.test(text)) return null;
  for (const match of text.matchAll(DATES_IN_TEXT)) {
    const before = text.slice(Math.max(0, (match.index ?? 0) - 30), match.index);
    if (!UPDATE_WORDS.test(before)) return match[0].trim();
  }
  return null;
}

const DATE_NAMES = /date|time|publish|posted|dateline|byline|meta|info|stamp|fecha|datum|data/i;
const OUTSIDE_STORY =
  "footer, nav, aside, form, [class*=comment], [id*=comment], [class*=related], [class*=infobox]";
const MAX_TEXT = 200;
const MAX_SCAN = 4_000;
const MAX_DATES = 6;

/** Words that introduce a publication date in running text ("publiziert am", "기사입력", "Posted"). */
const PUBLISHED_WORDS =
  /publi|posted|updated|written|date|datum|fecha|data|입력|発行|опублик|дата|\bon\b|\bam\b|\ble\b|\bel\b|\bem\b/i;

/**
 * Dates printed in the elements a page keeps them in (a class or id that speaks of a date, a
 * time, a byline), in document order; the first few only, outside the site's furniture.
 */
export function readVisibleDates(document: Document): string[] {
  const out: string[] = [];
  const body = document.body;
  if (!body) return out;
  const elements = Array.from(body.querySelectorAll("time, span, div, p, li, small, dd, dt, em")).slice(
    0,
    MAX_SCAN,
  );
  const cells = new Map<Element, boolean>();
  for (const element of elements) {
    if (out.length >= MAX_DATES) break;
    if (element.tagName.toUpperCase() !== "TIME" && !classOrIdMatches(element, DATE_NAMES)) continue;
    if (element.childElementCount > 6) continue;
    const text = shortTextOf(element, MAX_TEXT, HAS_DIGIT);
    if (!text || outsideStory(element, cells)) continue;
    const found = findDateInText(text);
    if (found && !out.includes(found) && !UPDATE_WORDS.test(textBefore(element))) out.push(found);
  }
  return out.length > 0 ? out : readIntroducedDates(elements, cells);
}

/** A cell shorter than this is a data table's; a longer one holds a layout table's page. */
const LAYOUT_CELL_TEXT = 500;

/**
 * Furniture, or a data table's cell (a schedule, a listing). Old sites lay the whole page out in a
 * table, so a cell that holds the article's text is not one. `cells` caches each cell's verdict.
 */
function outsideStory(element: Element, cells: Map<Element, boolean>): boolean {
  if (element.closest(OUTSIDE_STORY)) return true;
  const cell = element.closest("td, th");
  if (!cell) return false;
  let data = cells.get(cell);
  if (data === undefined) {
    data = (cell.textContent ?? "").length < LAYOUT_CELL_TEXT;
    cells.set(cell, data);
  }
  return data;
}

/** The text just before an element in its parent ("Updated <time>…</time>"). */
function textBefore(element: Element): string {
  const previous = element.previousSibling;
  return previous?.nodeType === 3 ? (previous.textContent ?? "").replace(/\s+/g, " ").slice(-30) : "";
}

/**
 * Where no element is named for its date: the first short text whose date opens it or follows a
 * word that introduces one ("publiziert am 25. September 2018", "기사입력 :[ 2018-09-28 17:32 ]").
 * A text is a short element's or one of an element's own text runs (a date printed loose beside
 * the headline); a date deep in a sentence ("… in San Diego on May 18, 2018") is not the page's.
 */
function readIntroducedDates(elements: Element[], cells: Map<Element, boolean>): string[] {
  for (const element of elements) {
    if (element.childElementCount > 8) continue;
    for (const text of shortTexts(element)) {
      const found = findDateInText(text);
      if (!found) continue;
      const before = text.slice(0, text.indexOf(found));
      const introduced = before.length <= MAX_INTRO && (PUBLISHED_WORDS.test(before) || before.trim() === "");
      // Where the element stands is looked up last: it walks up the tree.
      if (introduced && !outsideStory(element, cells)) return [found];
    }
  }
  return [];
}

/** Characters that may come before an introduced date (a label, never a sentence). */
const MAX_INTRO = 40;

/** The element's whole text when it is short, and its own text runs that are. */
function shortTexts(element: Element): string[] {
  const out: string[] = [];
  const whole = shortTextOf(element, MAX_TEXT, HAS_DIGIT);
  if (whole) out.push(whole);
  if (element.childElementCount === 0) return out;
  for (const node of Array.from(element.childNodes)) {
    if (node.nodeType !== 3) continue;
    const own = shortTextOf(node, MAX_TEXT, HAS_DIGIT);
    if (own && own !== whole) out.push(own);
  }
  return out;
}

/** The date a URL's path carries (/2024/05/01/, /2019-11-19/, /20191119/), as YYYY-MM-DD. */
export function dateFromUrl(url: string): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const match =
    /\/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/-]|$)/.exec(path) ??
    /\/((?:19|20)\d{2})(\d{2})(\d{2})(?:[/-]|$)/.exec(path);
  if (!match) return null;
  const [, year, month, day] = match;
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  return `${year}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
