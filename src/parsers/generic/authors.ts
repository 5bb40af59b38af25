/**
 * From a printed byline (or the page's author metadata) to clean person names:
 * "By Ana Silva, Senior Reporter, and Tom Lee | @tomlee" → ["Ana Silva", "Tom Lee"].
 */
const LEADING_BY =
  /^(?:(?:written|words|reporting|reported|story|text|analysis|interview)\s+)?(?:by|from|von|par|por|di|door|av|af)\s*[:-]?\s+/i;

const JOB_TITLE_WORDS =
  /\b(reporter|writer|editor|correspondent|columnist|contributor|journalist|producer|photographer|analyst|chief|director|staff|bureau|senior|deputy|associate|editorial|newsroom|team|desk|intern|fellow|host|anchor|presenter|critic|commentator|manager|officer|head of|political|economics|business|sports?|technology|health|science)\b/i;

const NOT_A_NAME = /(@|https?:|www\.|\.com\b|\d{2,}|updated|published|posted|minute|hour|ago|read time)/i;

/** Where a date printed in the byline block starts ("Joe Wee Monday, February 29, 2016 @ 11:10 PM"). */
const DATE_START =
  /\s*(?:[-–—|•·,@]\s*)?(?:\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|\b(?:updated|published|posted)\b).*$/i;

/** Splits one printed byline into name candidates. */
function splitByline(byline: string): string[] {
  return byline
    .replace(/\s+/g, " ")
    .replace(DATE_START, "")
    .replace(LEADING_BY, "")
    .split(/\s*(?:,|;|\||\/|•|·|\s[-–—]\s|\band\b|&|\bund\b|\bet\b|\by\b|\bwith\b|\n)\s*/i)
    .map((part) => part.replace(LEADING_BY, "").trim());
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
  // ALL-CAPS bylines are a typographic choice, not a name's spelling.
  if (name === name.toUpperCase() && /\p{Lu}{2}/u.test(name)) {
    name = words.map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join(" ");
  }
  return name;
}

export function cleanAuthorNames(sources: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const source of sources) {
    for (const part of splitByline(source)) {
      const name = tidyName(part);
      if (!name) continue;
      const key = name.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(name);
    }
  }
  return out;
}

/** A printed byline trimmed of its "By" and surrounding noise, as shown to readers. */
export function tidyByline(byline: string | null | undefined): string | null {
  if (!byline) return null;
  const text = byline.replace(/\s+/g, " ").trim();
  return text || null;
}
