/**
 * Text fields of the record (title, dek, byline, names, captions, credits, section, tags) are
 * plain text on one line: a page's metadata may carry markup ("<img src=x onerror=…>" in an
 * og:title) or control characters, and a consumer must be able to print them as they are.
 * Entities were decoded once already, by the DOM or the JSON-LD reader; they are not decoded again.
 */
/**
 * A tag, also one left without its ">" (cut off by the value's end or by the next tag); a comment.
 * The attribute run has no length cap: it stops at the next "<" or ">", so each character is read
 * once however long a tag's attributes are (a cap let a tag with 2,000 characters of them through).
 */
const TAG = /<(\/?)([a-z][a-z0-9-]*)([^<>]*)(?:>|$|(?=<))|<!--[\s\S]{0,2000}?-->/gi;
/**
 * Element names a page's text fields are seen to smuggle. A bracketed title such as
 * "<The Palace: Tale of Jang Noksu>" (a Korean convention) is not one, and has no attribute.
 */
const HTML_ELEMENTS = new Set(
  (
    "a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big " +
    "blink blockquote body br button canvas caption center cite code col colgroup data datalist dd " +
    "del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame " +
    "frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe ilayer image img input ins " +
    "isindex kbd keygen label layer legend li link listing main map mark marquee math menu meta " +
    "meter nav nobr noembed noframes noscript object ol optgroup option output p param picture " +
    "plaintext pre progress q rb rp rt rtc ruby s samp script search section select slot small " +
    "source spacer span strike strong style sub summary sup svg table tbody td template textarea " +
    "tfoot th thead time title tr track tt u ul var video wbr xmp"
  ).split(" "),
);
/** An event-handler attribute left without its tag ("svg onload=alert(1)" in an escaped copy). */
const EVENT_HANDLER = /(^|[\s"'/;])on[a-z]{3,}\s*=\s*(?:"[^"]{0,2000}"|'[^']{0,2000}'|[^\s>]{0,2000})/gi;
/** What is left of a comment that never ends runs to the end of the value. */
const UNENDED_COMMENT = /<!--[\s\S]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\ufeff]/g;
/** Lone surrogates are not text in any encoding a consumer can write. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Far above any real value (they guard consumers against a hostile page, not editors' style). */
export const TEXT_LIMITS = {
  title: 2_000,
  standfirst: 10_000,
  byline: 1_000,
  name: 300,
  caption: 5_000,
  credit: 1_000,
  section: 1_000,
  tag: 300,
} as const;

export function plainText(value: string | null | undefined, maxLength: number): string | null {
  if (!value) return null;
  // Capped first (with room for what stripping removes), so no pattern runs over a huge string;
  // invisible characters go before tags are looked for, or "<\u001fimg …>" would hide one.
  const text = value
    .slice(0, maxLength * 4)
    .replace(CONTROL, "")
    .replace(LONE_SURROGATE, "")
    .replace(TAG, (tag, closing: string | undefined, name: string | undefined, rest: string | undefined) =>
      name === undefined || closing || HTML_ELEMENTS.has(name.toLowerCase()) || rest?.includes("=")
        ? " "
        : tag,
    )
    .replace(UNENDED_COMMENT, "")
    .replace(EVENT_HANDLER, "$1")
    .replace(/\s+/g, " ")
    .trim();
  if (!text) return null;
  return text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
}
