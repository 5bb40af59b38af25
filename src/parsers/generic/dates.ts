/**
 * Publisher date strings to ISO-8601 UTC. Strings without a zone are read as UTC (a parser must
 * not depend on the machine's time zone); common newsroom zone abbreviations are understood.
 */
const ZONE_OFFSETS: Record<string, string> = {
  UTC: "+00:00",
  GMT: "+00:00",
  Z: "+00:00",
  BST: "+01:00",
  CET: "+01:00",
  CEST: "+02:00",
  EET: "+02:00",
  EEST: "+03:00",
  MSK: "+03:00",
  IST: "+05:30",
  AMT: "+04:00",
  GST: "+04:00",
  PKT: "+05:00",
  WIB: "+07:00",
  ICT: "+07:00",
  PHT: "+08:00",
  SGT: "+08:00",
  HKT: "+08:00",
  AWST: "+08:00",
  JST: "+09:00",
  KST: "+09:00",
  ACST: "+09:30",
  ACDT: "+10:30",
  AEST: "+10:00",
  AEDT: "+11:00",
  NZST: "+12:00",
  NZDT: "+13:00",
  EST: "-05:00",
  EDT: "-04:00",
  ET: "-05:00",
  CST: "-06:00",
  CDT: "-05:00",
  MST: "-07:00",
  MDT: "-06:00",
  PST: "-08:00",
  PDT: "-07:00",
  AKST: "-09:00",
  AKDT: "-08:00",
  HST: "-10:00",
  PT: "-08:00",
};

const ISO_NO_ZONE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const EARLIEST = Date.UTC(1990, 0, 1);

export interface DateOptions {
  /** Dates later than this (plus two days of slack) are taken as mistakes. */
  notAfter?: string;
  /** Read "05/10/2018" as 5 October (most of the world) rather than May 10 (the US). Default false. */
  dayFirst?: boolean;
}

/** Month names of the languages newsrooms print most, to English ones V8 reads. */
const MONTHS: Record<string, string> = {
  januar: "January",
  jänner: "January",
  februar: "February",
  märz: "March",
  maerz: "March",
  juni: "June",
  juli: "July",
  oktober: "October",
  dezember: "December",
  mai: "May",
  janvier: "January",
  février: "February",
  fevrier: "February",
  mars: "March",
  avril: "April",
  juin: "June",
  juillet: "July",
  août: "August",
  aout: "August",
  septembre: "September",
  octobre: "October",
  novembre: "November",
  décembre: "December",
  decembre: "December",
  enero: "January",
  febrero: "February",
  marzo: "March",
  abril: "April",
  mayo: "May",
  junio: "June",
  julio: "July",
  agosto: "August",
  septiembre: "September",
  setiembre: "September",
  octubre: "October",
  noviembre: "November",
  diciembre: "December",
  janeiro: "January",
  fevereiro: "February",
  março: "March",
  maio: "May",
  junho: "June",
  julho: "July",
  setembro: "September",
  outubro: "October",
  dezembro: "December",
  gennaio: "January",
  febbraio: "February",
  aprile: "April",
  maggio: "May",
  giugno: "June",
  luglio: "July",
  settembre: "September",
  ottobre: "October",
  dicembre: "December",
};
const MONTH_WORD = new RegExp(`(?<![\\p{L}])(${Object.keys(MONTHS).join("|")})(?![\\p{L}])`, "giu");

/** Minutes east of UTC that a date string states ("+02:00", "Z", "EST", "GMT+0000"), or null when it states none. */
export function zoneOffsetMinutes(raw: string): number | null {
  const text = raw.trim();
  if (/^\d{10}(\d{3})?$/.test(text)) return 0;
  const numeric = /(?:Z|(?:GMT|UTC)?\s*([+-])(\d{2}):?(\d{2}))$/i.exec(text);
  if (numeric && /\d/.test(text.slice(0, numeric.index))) {
    if (!numeric[1]) return 0;
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3]);
    return numeric[1] === "-" ? -minutes : minutes;
  }
  const zone = /\b([A-Z]{1,4}T|UTC|GMT)\b\.?\s*\)?$/.exec(text)?.[1];
  const offset = zone ? ZONE_OFFSETS[zone] : undefined;
  if (!offset) return null;
  const [, sign, hours, minutes] = /([+-])(\d{2}):(\d{2})/.exec(offset) ?? [];
  const total = Number(hours) * 60 + Number(minutes);
  return sign === "-" ? -total : total;
}

export function toIsoUtc(raw: string | null | undefined, options: DateOptions = {}): string | null {
  if (!raw) return null;
  const ms = parseDateMs(raw.trim(), options.dayFirst ?? false);
  if (ms === null || Number.isNaN(ms) || ms < EARLIEST) return null;
  if (options.notAfter) {
    const limit = Date.parse(options.notAfter);
    if (!Number.isNaN(limit) && ms > limit + 2 * 86_400_000) return null;
  }
  return new Date(ms).toISOString();
}

/** Milliseconds of the instant the text names; a text without a zone is read as UTC. */
export function parseDateMs(input: string, dayFirst = false): number | null {
  if (/^\d{10}(\d{3})?$/.test(input)) {
    const n = Number(input);
    return input.length === 10 ? n * 1000 : n;
  }
  let text = input.replace(/\s+/g, " ");
  if (ISO_WITH_ZONE.test(text))
    return Date.parse(text.replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  const isoNoZone = ISO_NO_ZONE.exec(text);
  if (isoNoZone) return Date.parse(`${isoNoZone[1]}T${isoNoZone[2]}Z`);
  if (DATE_ONLY.test(text)) return Date.parse(`${text}T00:00:00Z`);

  // Free text must at least carry a day or a year; V8 reads almost any word as some date.
  if (!/\d/.test(text)) return null;
  text = text
    .replace(MONTH_WORD, (word) => MONTHS[word.toLowerCase()] ?? word)
    // "25. September 2018", "25 de septiembre de 2018"
    .replace(/(\d{1,2})\.\s+(?=\p{L})/gu, "$1 ")
    .replace(/\s+de\s+(?=\p{L}|\d{4})/giu, " ")
    // "November 20, 2019 - 11:28 AMT"
    .replace(/(\d{4}),?\s+[-–]\s+(?=\d{1,2}[:.]\d{2})/, "$1 ");
  const numeric = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:,?\s+(.*))?$/.exec(text);
  if (numeric) {
    const [, a, b, year, rest] = numeric;
    const first = Number(a);
    const second = Number(b);
    const dayFirstHere = first > 12 || (second <= 12 && dayFirst);
    const [day, month] = dayFirstHere ? [first, second] : [second, first];
    if (month < 1 || month > 12 || day < 1 || day > 31) return null;
    text = `${year}/${String(month).padStart(2, "0")}/${String(day).padStart(2, "0")} ${rest ?? ""}`.trim();
  }
  // Free text such as "Updated: Tuesday, March 11, 2025 at 10:14am AEDT".
  text = text
    .replace(/^(?:updated|published|posted|first published|last updated|modified)\s*(?:on|at)?\s*:?\s*/i, "")
    .replace(/\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?,?/gi, " ")
    .replace(/(\d)(?:st|nd|rd|th)\b/gi, "$1")
    .replace(/\b([ap])\.m\./gi, "$1m")
    .replace(/\bat\b|\||•|·/gi, " ")
    .replace(/(\d)\s*(am|pm)\b/gi, "$1 $2")
    .replace(/(\d{1,2})\.(\d{2})\s*(am|pm)/gi, "$1:$2 $3")
    .replace(/\s+/g, " ")
    .trim()
    // A time printed before the date ("01:38:07 PM IST Nov 20, 2019") goes after it, zone last.
    .replace(
      /^(\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?)\s*((?:[A-Z]{1,4}T|UTC|GMT)\b)?\s*,?\s*(.+)$/i,
      (_, time: string, zone: string | undefined, rest: string) => `${rest} ${time}${zone ? ` ${zone}` : ""}`,
    )
    .replace(/,\s*(?=\d{1,2}:\d{2})/g, " ");
  let offset = "+00:00";
  const zone = /\b([A-Z]{1,4}T|UTC|GMT|Z)\b\s*$/.exec(text);
  const zoneOffset = zone?.[1] ? ZONE_OFFSETS[zone[1]] : undefined;
  if (zone && zoneOffset) {
    offset = zoneOffset;
    text = text.slice(0, zone.index).trim();
  } else {
    const numeric = /\s*(?:GMT|UTC)?\s*([+-]\d{2}):?(\d{2})$/.exec(text);
    if (numeric) {
      offset = `${numeric[1]}:${numeric[2]}`;
      text = text.slice(0, numeric.index).trim();
    }
  }
  // V8 reads zone-less free text in local time; pin it by parsing with an explicit offset.
  const ms = Date.parse(`${text} GMT${offset.replace(":", "")}`);
  if (!Number.isNaN(ms)) return ms;
  const bare = Date.parse(text);
  return Number.isNaN(bare) ? null : bare - new Date(bare).getTimezoneOffset() * -60_000;
}
