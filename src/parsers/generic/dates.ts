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
  PT: "-08:00",
};

const ISO_NO_ZONE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const EARLIEST = Date.UTC(1990, 0, 1);

export interface DateOptions {
  /** Dates later than this (plus two days of slack) are taken as mistakes. */
  notAfter?: string;
}

export function toIsoUtc(raw: string | null | undefined, options: DateOptions = {}): string | null {
  if (!raw) return null;
  const ms = parseDateMs(raw.trim());
  if (ms === null || Number.isNaN(ms) || ms < EARLIEST) return null;
  if (options.notAfter) {
    const limit = Date.parse(options.notAfter);
    if (!Number.isNaN(limit) && ms > limit + 2 * 86_400_000) return null;
  }
  return new Date(ms).toISOString();
}

function parseDateMs(input: string): number | null {
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
    .trim();
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
