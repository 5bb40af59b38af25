import sanitizeHtml from "sanitize-html";

/**
 * The body HTML we publish: structure and links only. No script, no event handler, no style, no
 * javascript: or data: URL, whatever the source page contained.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "br",
    "hr",
    "figure",
    "figcaption",
    "img",
    "pre",
    "code",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "cite",
    "q",
    "time",
    "abbr",
    "small",
    "mark",
  ],
  allowedAttributes: {
    a: ["href", "title"],
    img: ["src", "alt", "width", "height"],
    time: ["datetime"],
    abbr: ["title"],
    td: ["colspan", "rowspan"],
    th: ["colspan", "rowspan", "scope"],
    "*": ["dir", "lang"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowProtocolRelative: false,
  transformTags: { h1: "h2" },
  exclusiveFilter: (frame) => frame.tag === "a" && !frame.text.trim() && !frame.mediaChildren.length,
  nonTextTags: ["style", "script", "textarea", "option", "noscript", "template", "svg", "iframe"],
};

export function sanitizeBodyHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
