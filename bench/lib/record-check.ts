import { decodeHTML } from "entities";
import type { ArticleRecord } from "../../src/domain/article.js";

/**
 * The fuzz suite's oracle for one record: text fields are plain text (no HTML elements, attributes
 * or comments), URL fields are absolute http(s) URLs, and the body HTML has no script,
 * event handler or script URL. It checks what the extractor promises rather than re-implementing how
 * it keeps the promise, so it lives with the benchmarks, not in src/.
 */

export interface FieldFinding {
  /** Where in the record, e.g. "title", "authors[2]", "images[0].url", "body.html". */
  field: string;
  problem: "markup" | "script-url" | "not-http-url" | "unsafe-html";
  /** The offending part of the value, cut to 160 characters. */
  excerpt: string;
}

const HTML_ELEMENTS = new Set(
  (
    "a abbr address area article aside audio b base bdi bdo big blink blockquote body br button canvas " +
    "caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed " +
    "fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr " +
    "html i iframe image img input ins isindex kbd keygen label legend li link listing main map mark " +
    "marquee math menu meta meter nav nobr noembed noframes noscript object ol optgroup option output p " +
    "param picture plaintext pre progress q rp rt ruby s samp script search section select slot small " +
    "source span strike strong style sub summary sup svg table tbody td template textarea tfoot th thead " +
    "time title tr track tt u ul var video wbr xmp"
  ).split(" "),
);

/** `<name` or `</name` of an HTML element, ended by white space, `/`, `>` or the end of the value. */
const ELEMENT_TAG = /<\/?([a-z][a-z0-9-]*)(?=[\s/>]|$)/gi;
/** Any tag with an attribute: `<x-widget data=1>` is markup whatever its name. */
const TAG_WITH_ATTRIBUTE = /<[a-z][\w:-]*\s[^<>]*?[\w:-]+\s*=/i;
const COMMENT_OR_CDATA = /<!--|<!\[CDATA\[/;
/** An event-handler attribute, or what is left of one after a tag was half stripped. */
const EVENT_HANDLER = /(?:^|[\s"'/<;])on[a-z]{3,}\s*=/i;
function excerptAround(value: string, at: number): string {
  const start = Math.max(0, at - 40);
  return value.slice(start, start + 160);
}

/**
 * What makes `value` unsafe as a plain-text field, or null when it is plain text. Script URLs are
 * looked for in URL fields only: a title may quote "javascript:alert(1)" as words, which a consumer
 * prints and never follows.
 */
export function textProblem(value: string): Omit<FieldFinding, "field"> | null {
  for (const match of value.matchAll(ELEMENT_TAG)) {
    if (HTML_ELEMENTS.has((match[1] ?? "").toLowerCase())) {
      return { problem: "markup", excerpt: excerptAround(value, match.index) };
    }
  }
  for (const pattern of [TAG_WITH_ATTRIBUTE, COMMENT_OR_CDATA, EVENT_HANDLER]) {
    const match = pattern.exec(value);
    if (match) return { problem: "markup", excerpt: excerptAround(value, match.index) };
  }
  return null;
}

/** Characters a serialised URL never carries raw; their presence means markup or a splice. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const URL_UNSAFE = /[\u0000-\u0020\u007f<>"\\]/;

/** What makes `value` unsafe as a URL field, or null when it is an absolute http(s) URL. */
export function urlProblem(value: string): Omit<FieldFinding, "field"> | null {
  const excerpt = value.slice(0, 160);
  if (/^\s*(?:java|vb|live)script:|^\s*data:/i.test(value)) return { problem: "script-url", excerpt };
  if (!/^https?:\/\//i.test(value) || URL_UNSAFE.test(value)) return { problem: "not-http-url", excerpt };
  try {
    const url = new URL(value);
    if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
      return { problem: "not-http-url", excerpt };
    }
  } catch {
    return { problem: "not-http-url", excerpt };
  }
  return null;
}

const UNSAFE_ELEMENTS =
  /<(script|style|iframe|frame|frameset|object|embed|applet|svg|math|form|input|button|textarea|select|base|link|meta|template|noscript|xmp|plaintext)\b/i;
const TAG = /<[a-z][^<>]*>/gi;
const ATTRIBUTE = /\s([^\s"'<>/=]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g;
const URL_ATTRIBUTES = new Set([
  "href",
  "src",
  "action",
  "formaction",
  "poster",
  "data",
  "xlink:href",
  "srcset",
]);

/** What makes sanitised body HTML unsafe, or null: the schema says no script, handlers or script URLs. */
export function bodyHtmlProblem(html: string): Omit<FieldFinding, "field"> | null {
  const element = UNSAFE_ELEMENTS.exec(html);
  if (element) return { problem: "unsafe-html", excerpt: excerptAround(html, element.index) };
  for (const tag of html.matchAll(TAG)) {
    for (const attribute of tag[0].matchAll(ATTRIBUTE)) {
      const name = (attribute[1] ?? "").toLowerCase();
      const raw = attribute[2] ?? attribute[3] ?? attribute[4] ?? "";
      // Browsers drop ASCII white space and controls inside a scheme, so "java&#9;script:" runs.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: so do we before comparing
      const value = decodeHTML(raw).replace(/[\u0000-\u0020]/g, "");
      const unsafe =
        name.startsWith("on") ||
        name === "style" ||
        (URL_ATTRIBUTES.has(name) && /^(?:java|vb|live)script:|^data:/i.test(value));
      if (unsafe) return { problem: "unsafe-html", excerpt: tag[0].slice(0, 160) };
    }
  }
  return null;
}

/** Every finding in one record; an empty list for a clean record. */
export function checkRecord(record: ArticleRecord): FieldFinding[] {
  const findings: FieldFinding[] = [];
  const text = (field: string, value: string | null) => {
    const problem = value === null ? null : textProblem(value);
    if (problem) findings.push({ field, ...problem });
  };
  const url = (field: string, value: string | null) => {
    const problem = value === null ? null : urlProblem(value);
    if (problem) findings.push({ field, ...problem });
  };
  text("title", record.title);
  text("standfirst", record.standfirst);
  text("byline", record.byline);
  for (const [i, author] of record.authors.entries()) text(`authors[${i}]`, author);
  text("publisher", record.publisher);
  text("section", record.section);
  for (const [i, tag] of record.tags.entries()) text(`tags[${i}]`, tag);
  text("language", record.language);
  url("url", record.url);
  url("requestedUrl", record.requestedUrl);
  url("finalUrl", record.finalUrl);
  for (const [i, image] of record.images.entries()) {
    url(`images[${i}].url`, image.url);
    text(`images[${i}].caption`, image.caption);
    text(`images[${i}].credit`, image.credit);
    text(`images[${i}].alt`, image.alt);
  }
  for (const [i, source] of record.provenance.entries()) {
    url(`provenance[${i}].url`, source.url);
    text(`provenance[${i}].name`, source.name);
  }
  const body = bodyHtmlProblem(record.body.html);
  if (body) findings.push({ field: "body.html", ...body });
  return findings;
}
