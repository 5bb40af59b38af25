import { toIsoUtc, zoneOffsetMinutes } from "./dates.js";

/**
 * One publication (or update) instant from the page's several date values. The first readable
 * value wins, with these repairs: a placeholder ("0001-01-01") is no value; a publication later
 * than the stated update is the update's, so an earlier value is taken; a value that is another's
 * UTC clock labelled with the local offset gives way to it; a date printed before a machine value
 * (the byline's) makes that value a revision and names the first publication; a date without a
 * time takes the time of another value on the same day; and a local time without a zone takes its
 * offset from another value of the same clock time that has one, else from the publisher's country.
 */

export type DateSource = "metadata" | "text" | "url";

export interface DateCandidate {
  raw: string;
  source: DateSource;
}

export interface ResolvedDate {
  /** ISO-8601 UTC. */
  instant: string;
  /** The page's own string; for a date read from the text with no zone, its local date-time (YYYY-MM-DDTHH:mm). */
  raw: string;
}

interface Parsed {
  raw: string;
  source: DateSource;
  /** The instant as read (a zone-less value as if UTC). */
  ms: number;
  /** Minutes east of UTC the value states, or null when it states none. */
  offset: number | null;
  /** The clock time as printed, in milliseconds as if UTC. */
  wall: number;
  hasTime: boolean;
}

const MINUTE = 60_000;
const TIME_OF_DAY = /\d{1,2}[:.]\d{2}|T\d{2}/;

function parse(candidate: DateCandidate, options: ResolveOptions): Parsed | null {
  const raw = candidate.raw.replace(/\s+/g, " ").trim();
  const iso = toIsoUtc(raw, { notAfter: options.notAfter, dayFirst: options.dayFirst });
  if (!iso) return null;
  const ms = Date.parse(iso);
  const offset = zoneOffsetMinutes(raw);
  const hasTime = TIME_OF_DAY.test(raw) && !/^\d{10,13}$/.test(raw);
  return { raw, source: candidate.source, ms, offset, wall: ms + (offset ?? 0) * MINUTE, hasTime };
}

export interface ResolveOptions {
  notAfter?: string;
  dayFirst?: boolean;
  /** The publisher's time zone (IANA), when its country has one. */
  timeZone?: string | null;
  /** The stated update instant: a publication later than it is taken for a revision. */
  notLaterThan?: string | null;
}

export function resolveDate(candidates: DateCandidate[], options: ResolveOptions = {}): ResolvedDate | null {
  const parsed = candidates.map((c) => parse(c, options)).filter((p): p is Parsed => p !== null);
  let chosen = parsed[0];
  if (!chosen) return null;
  const limit = options.notLaterThan ? Date.parse(options.notLaterThan) : Number.NaN;
  if (!Number.isNaN(limit) && chosen.ms > limit + MINUTE) {
    chosen = parsed.find((p) => p.ms <= limit + MINUTE && p.hasTime) ?? chosen;
  }
  chosen = correctedZone(chosen, parsed);
  chosen = beforeRevision(chosen, parsed);
  if (!chosen.hasTime) {
    const day = new Date(chosen.wall).toISOString().slice(0, 10);
    const current = chosen;
    chosen =
      parsed.find((p) => p.hasTime && p.source !== "url" && new Date(p.wall).toISOString().startsWith(day)) ??
      current;
  }
  return { instant: new Date(instantOf(chosen, parsed, options)).toISOString(), raw: rawOf(chosen) };
}

/**
 * A value whose clock is another value's UTC clock while both state a local offset (Yoast's
 * "09:41:45+01:00" beside the theme's "10:41:45+01:00") is the UTC time labelled with the local
 * offset: the other value names the instant. Against a "+00:00" value the same clocks say
 * nothing, since a local time labelled UTC is as common a mistake; a printed time decides those
 * (see beforeRevision).
 */
function correctedZone(chosen: Parsed, parsed: Parsed[]): Parsed {
  if (!chosen.hasTime || !chosen.offset) return chosen;
  return (
    parsed.find(
      (p) =>
        p.source === "metadata" &&
        p.hasTime &&
        p.offset !== null &&
        p.offset !== 0 &&
        Math.abs(p.ms - chosen.wall) < MINUTE &&
        Math.abs(p.ms - chosen.ms) >= MINUTE,
    ) ?? chosen
  );
}

/** How far before a machine value a printed date may be and still be the same story's first publication. */
const REVISION_WINDOW = 3 * 24 * 60 * MINUTE;

/**
 * The date the page prints first is its byline's. When it is earlier than the chosen machine
 * value, that value is a revision time: a printed time with its zone names the first
 * publication ("November 18, 2019 at 2:26 PM HST" before a meta date of the next morning); a
 * printed day alone names it through the machine value with a time on that day, if there is one.
 */
function beforeRevision(chosen: Parsed, parsed: Parsed[]): Parsed {
  if (chosen.source !== "metadata" || !chosen.hasTime) return chosen;
  const printed = parsed.find((p) => p.source === "text");
  if (!printed) return chosen;
  if (printed.hasTime && printed.offset !== null) {
    const earlier = chosen.ms - printed.ms;
    if (earlier < MINUTE || earlier > REVISION_WINDOW) return chosen;
    // The same clock time with another zone is the same moment read with the wrong zone ("10:00
    // IST" for Irish summer time, read as India's): the machine value's offset stands.
    if (Math.abs(printed.wall - chosen.wall) < MINUTE) return chosen;
    // A machine value of the printed minute gives the seconds the print leaves out.
    return (
      parsed.find((p) => p.source === "metadata" && p.ms >= printed.ms && p.ms - printed.ms < MINUTE) ??
      printed
    );
  }
  if (printed.hasTime) return chosen;
  const day = dayOf(printed.wall);
  if (day >= dayOf(chosen.wall) || chosen.ms - printed.wall > REVISION_WINDOW) return chosen;
  return parsed.find((p) => p.source === "metadata" && p.hasTime && dayOf(p.wall) === day) ?? chosen;
}

function dayOf(wall: number): string {
  return new Date(wall).toISOString().slice(0, 10);
}

function instantOf(chosen: Parsed, parsed: Parsed[], options: ResolveOptions): number {
  if (chosen.offset !== null || !chosen.hasTime) return chosen.ms;
  const sameClock = parsed.find((p) => p.offset !== null && Math.abs(p.wall - chosen.wall) < MINUTE);
  if (sameClock?.offset != null) return chosen.wall - sameClock.offset * MINUTE;
  if (options.timeZone) return chosen.wall - zoneOffsetAt(options.timeZone, chosen.wall) * MINUTE;
  return chosen.ms;
}

/** A text date with no zone is kept as its local date-time: the page gives no more than that. */
function rawOf(chosen: Parsed): string {
  if (chosen.source !== "text" || chosen.offset !== null) return chosen.raw;
  const local = new Date(chosen.wall).toISOString();
  return chosen.hasTime ? local.slice(0, 16) : local.slice(0, 10);
}

/** Minutes east of UTC in the zone at (about) the given local clock time. */
export function zoneOffsetAt(timeZone: string, wall: number): number {
  try {
    const format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    const offsetAt = (instant: number) => {
      const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
      const asUtc = Date.UTC(
        Number(parts.year),
        Number(parts.month) - 1,
        Number(parts.day),
        Number(parts.hour),
        Number(parts.minute),
      );
      return Math.round((asUtc - Math.floor(instant / MINUTE) * MINUTE) / MINUTE);
    };
    // The offset at the instant the clock time would be under the first guess settles DST edges.
    const guess = offsetAt(wall);
    return offsetAt(wall - guess * MINUTE);
  } catch {
    return 0;
  }
}

/** Countries with one civil time zone, by country code (host's TLD or the language tag's region). */
const COUNTRY_ZONES: Record<string, string> = {
  de: "Europe/Berlin",
  at: "Europe/Vienna",
  ch: "Europe/Zurich",
  fr: "Europe/Paris",
  it: "Europe/Rome",
  es: "Europe/Madrid",
  nl: "Europe/Amsterdam",
  be: "Europe/Brussels",
  lu: "Europe/Luxembourg",
  pl: "Europe/Warsaw",
  cz: "Europe/Prague",
  sk: "Europe/Bratislava",
  hu: "Europe/Budapest",
  ro: "Europe/Bucharest",
  bg: "Europe/Sofia",
  gr: "Europe/Athens",
  se: "Europe/Stockholm",
  no: "Europe/Oslo",
  dk: "Europe/Copenhagen",
  fi: "Europe/Helsinki",
  ee: "Europe/Tallinn",
  lv: "Europe/Riga",
  lt: "Europe/Vilnius",
  ie: "Europe/Dublin",
  uk: "Europe/London",
  gb: "Europe/London",
  pt: "Europe/Lisbon",
  ua: "Europe/Kyiv",
  tr: "Europe/Istanbul",
  il: "Asia/Jerusalem",
  am: "Asia/Yerevan",
  ge: "Asia/Tbilisi",
  in: "Asia/Kolkata",
  pk: "Asia/Karachi",
  bd: "Asia/Dhaka",
  lk: "Asia/Colombo",
  np: "Asia/Kathmandu",
  cn: "Asia/Shanghai",
  hk: "Asia/Hong_Kong",
  tw: "Asia/Taipei",
  jp: "Asia/Tokyo",
  kr: "Asia/Seoul",
  sg: "Asia/Singapore",
  my: "Asia/Kuala_Lumpur",
  th: "Asia/Bangkok",
  vn: "Asia/Ho_Chi_Minh",
  ph: "Asia/Manila",
  ae: "Asia/Dubai",
  sa: "Asia/Riyadh",
  qa: "Asia/Qatar",
  eg: "Africa/Cairo",
  ng: "Africa/Lagos",
  gh: "Africa/Accra",
  ke: "Africa/Nairobi",
  za: "Africa/Johannesburg",
  ar: "America/Argentina/Buenos_Aires",
  co: "America/Bogota",
  pe: "America/Lima",
  cl: "America/Santiago",
  ve: "America/Caracas",
  nz: "Pacific/Auckland",
};

/** Languages whose readers live in one civil time zone (German's three countries share one). */
const LANGUAGE_ZONES: Record<string, string> = {
  de: "Europe/Berlin",
  it: "Europe/Rome",
  pl: "Europe/Warsaw",
  nl: "Europe/Amsterdam",
  cs: "Europe/Prague",
  sk: "Europe/Bratislava",
  hu: "Europe/Budapest",
  ro: "Europe/Bucharest",
  bg: "Europe/Sofia",
  el: "Europe/Athens",
  sv: "Europe/Stockholm",
  da: "Europe/Copenhagen",
  fi: "Europe/Helsinki",
  nb: "Europe/Oslo",
  no: "Europe/Oslo",
  uk: "Europe/Kyiv",
  tr: "Europe/Istanbul",
  he: "Asia/Jerusalem",
  ja: "Asia/Tokyo",
  ko: "Asia/Seoul",
  th: "Asia/Bangkok",
  vi: "Asia/Ho_Chi_Minh",
  hy: "Asia/Yerevan",
  ka: "Asia/Tbilisi",
};

/** Countries that print dates month first. */
const MONTH_FIRST = new Set(["us", "ph", "ca", "fm", "pw", "mh"]);

export interface PublisherCountry {
  timeZone: string | null;
  dayFirst: boolean;
}

/**
 * The publisher's country from its host's country-code TLD ("jaraguadosul.com.br"), else from the
 * region of the page's language tag ("de-DE", "en-GB"): its zone when it has one, and whether it
 * prints the day before the month.
 */
export function publisherCountry(url: string, language: string | null): PublisherCountry {
  let host = "";
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    // no host: the language alone decides
  }
  const tld = /\.([a-z]{2})$/.exec(host)?.[1] ?? null;
  const region = /^[a-z]{2,3}[-_]([a-z]{2})\b/i.exec(language ?? "")?.[1]?.toLowerCase() ?? null;
  const country = tld && tld !== "co" && tld !== "io" && tld !== "tv" && tld !== "me" ? tld : region;
  if (country) return { timeZone: COUNTRY_ZONES[country] ?? null, dayFirst: !MONTH_FIRST.has(country) };
  // A language spoken in one time zone tells it when the host and tag name no country.
  const primary = /^([a-z]{2,3})\b/i.exec(language ?? "")?.[1]?.toLowerCase() ?? "";
  const zone = LANGUAGE_ZONES[primary] ?? null;
  return { timeZone: zone, dayFirst: zone !== null };
}
