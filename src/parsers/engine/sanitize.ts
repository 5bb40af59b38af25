/**
 * The body HTML we publish: structure and links only. No script, no event handler, no style, no
 * javascript: or data: URL, whatever the source page contained.
 *
 * The body is already a tree, so it is written out clean by walking it, not serialised and parsed
 * again by a sanitiser (that second parse was a tenth of our extraction time). Anything not on
 * the allow-lists below is left out: an element's tag (its content stays, except for the elements
 * whose content is never text), an attribute, a URL with another scheme. The output format is the
 * one sanitize-html gave before (`<br />`, attributes in source order, `&amp; &lt; &gt; &quot;`).
 */
const ALLOWED_TAGS = new Set([
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
]);

const ALLOWED_ATTRIBUTES: Record<string, readonly string[]> = {
  a: ["href", "title"],
  img: ["src", "alt", "width", "height"],
  time: ["datetime"],
  abbr: ["title"],
  td: ["colspan", "rowspan"],
  th: ["colspan", "rowspan", "scope"],
};
const ANY_ELEMENT_ATTRIBUTES = ["dir", "lang"];
/** Attributes that hold a URL, and the schemes each tag may use in them. */
const URL_ATTRIBUTES = new Set(["href", "src", "cite"]);
const SCHEMES = new Set(["http", "https", "mailto"]);
const SCHEMES_BY_TAG: Record<string, ReadonlySet<string>> = { img: new Set(["http", "https"]) };

const RENAMED: Record<string, string> = { h1: "h2" };
/** Elements whose content is never text: left out with everything inside them. */
const NON_TEXT = new Set(["style", "script", "textarea", "option", "noscript", "template", "svg", "iframe"]);
const SELF_CLOSING = new Set(["img", "br", "hr"]);
/**
 * The elements an HTML parser ends an open <p> at. Body extraction can leave them inside one (a
 * <div> holding only a heading becomes a <p>); a reader parsing our HTML would move them out, so
 * they are written after the paragraph, not inside it.
 */
const ENDS_PARAGRAPH = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "details",
  "div",
  "dl",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "ul",
]);
/** What makes a link worth keeping when it has no text. */
const MEDIA = new Set(["img", "audio", "video", "picture", "svg", "object", "map", "iframe", "embed"]);

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Text made safe inside an attribute value or an element, in sanitize-html's format. */
export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, "&quot;");
}

/**
 * Browsers ignore control characters and spaces inside a URL's scheme ("java\tscript:"), so they are
 * removed before the scheme is read. No scheme is a relative URL; "//host" is refused.
 */
function allowedUrl(tag: string, value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters browsers skip in a URL
  const squeezed = value.replace(/[\x00-\x20]+/g, "").replace(/<!--[\s\S]*?-->/g, "");
  const scheme = /^([a-zA-Z][a-zA-Z0-9.+-]*):/.exec(squeezed)?.[1]?.toLowerCase();
  if (scheme === undefined) return !/^[/\\]{2}/.test(squeezed);
  return (SCHEMES_BY_TAG[tag] ?? SCHEMES).has(scheme);
}

function attributesOf(tag: string, element: Element): string {
  const allowed = ALLOWED_ATTRIBUTES[tag];
  let out = "";
  for (const { name, value } of Array.from(element.attributes)) {
    if (!(allowed?.includes(name) || ANY_ELEMENT_ATTRIBUTES.includes(name))) continue;
    if (URL_ATTRIBUTES.has(name) && !allowedUrl(tag, value)) continue;
    // An empty value says nothing, except an empty alt: "this image is decoration".
    if (value) out += ` ${name}="${escapeAttribute(value)}"`;
    else if (name === "alt") out += ' alt=""';
  }
  return out;
}

/** A link with no text and no image inside says nothing: it is left out. */
function isEmptyLink(element: Element): boolean {
  if ((element.textContent ?? "").trim()) return false;
  for (const tag of MEDIA) if (element.getElementsByTagName(tag).length > 0) return false;
  return true;
}

function tagOf(node: Node): string | null {
  return node.nodeType === 1 ? (node as Element).tagName.toLowerCase() : null;
}

function write(node: Node): string {
  if (node.nodeType === 3) return escapeText(node.nodeValue ?? "");
  const source = tagOf(node);
  if (source === null || NON_TEXT.has(source)) return "";
  const element = node as Element;
  const tag = RENAMED[source] ?? source;
  if (tag === "p") return writeParagraph(element);
  let inner = "";
  for (let child = element.firstChild; child; child = child.nextSibling) inner += write(child);
  if (!ALLOWED_TAGS.has(tag)) return inner;
  if (tag === "a" && isEmptyLink(element)) return "";
  const open = `<${tag}${attributesOf(tag, element)}`;
  return SELF_CLOSING.has(tag) ? `${open} />` : `${open}>${inner}</${tag}>`;
}

/** A paragraph, its runs of inline content each a <p> of their own when a block sits among them. */
function writeParagraph(element: Element): string {
  const open = `<p${attributesOf("p", element)}>`;
  const children = Array.from(element.childNodes);
  const endsHere = (child: Node) => ENDS_PARAGRAPH.has(tagOf(child) ?? "");
  if (!children.some(endsHere)) return `${open}${children.map(write).join("")}</p>`;
  let out = "";
  let run = "";
  const flush = () => {
    out += run.trim() ? `${open}${run}</p>` : run;
    run = "";
  };
  for (const child of children) {
    if (!endsHere(child)) {
      run += write(child);
      continue;
    }
    flush();
    out += write(child);
  }
  flush();
  return out;
}

/** `root` itself included, as its outer HTML would be. Depth is bounded by flattenDeepMarkup. */
export function sanitizeBody(root: Element): string {
  return write(root)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
