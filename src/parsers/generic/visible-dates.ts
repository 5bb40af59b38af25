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

/** The first date printed in a short text, as printed; null when there is none. */
export function findDateInText(text: string): string | null {
  const match = DATE_IN_TEXT.exec(text);
  return match ? match[0].trim() : null;
}

const DATE_NAMES = /date|time|publish|posted|dateline|byline|meta|info|stamp|fecha|datum|data/i;
const OUTSIDE_STORY =
  "footer, nav, aside, form, table, [class*=comment], [id*=comment], [class*=related], [class*=infobox]";
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
  for (const element of elements) {
    if (out.length >= MAX_DATES) break;
    const names = `${element.getAttribute("class") ?? ""} ${element.getAttribute("id") ?? ""}`;
    if (element.tagName.toUpperCase() !== "TIME" && !DATE_NAMES.test(names)) continue;
    if (element.childElementCount > 6) continue;
    const text = element.textContent?.replace(/\s+/g, " ").trim() ?? "";
    if (!text || text.length > MAX_TEXT || element.closest(OUTSIDE_STORY)) continue;
    const found = findDateInText(text);
    if (found && !out.includes(found)) out.push(found);
  }
  return out.length > 0 ? out : readIntroducedDates(elements);
}

/**
 * Where no element is named for its date: the first short block whose date follows a word that
 * introduces one ("publiziert am 25. September 2018", "기사입력 :[ 2018-09-28 17:32 ]").
 */
function readIntroducedDates(elements: Element[]): string[] {
  for (const element of elements) {
    if (element.childElementCount > 8) continue;
    const text = element.textContent?.replace(/\s+/g, " ").trim() ?? "";
    if (!text || text.length > MAX_TEXT) continue;
    const found = findDateInText(text);
    if (!found) continue;
    const before = text.slice(0, text.indexOf(found));
    if ((PUBLISHED_WORDS.test(before) || before.trim() === "") && !element.closest(OUTSIDE_STORY)) {
      return [found];
    }
  }
  return [];
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
