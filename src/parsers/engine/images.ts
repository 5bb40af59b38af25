import type { ArticleImage } from "../../domain/article.js";
import { inlineText } from "./text.js";

/**
 * Images with their captions and credits. Lazy-loading pages hide the real URL in data-src,
 * srcset or a <noscript> twin; captions often print the credit inside them ("… Picture: AFP").
 */
const LAZY_ATTRIBUTES = [
  "data-src",
  "data-lazy-src",
  "data-original",
  "data-url",
  "data-lazy",
  "data-full-src",
  "data-hi-res-src",
];
const LAZY_SRCSET_ATTRIBUTES = ["data-srcset", "data-lazy-srcset", "srcset"];
/** Caption, credit and image-container names, matched against class and itemprop. */
const CAPTION_NAMES = /caption|unterschrift|legend|didascalia/i;
const CREDIT_NAMES = /credit|copyright|photographer|source|quelle|creditText|copyrightHolder/i;
const CONTAINER_NAMES = /image|media|photo|picture|bild|foto/i;
const CREDIT_SUFFIX =
  /\s*[([]?\s*(?:picture|photo|image|photograph|credit|source|foto|bild)s?\s*(?:by)?\s*:\s*([^)\]]{2,80})[)\]]?\s*$/i;
const PLACEHOLDER =
  /^data:|(?:^|\/)(?:blank|spacer|pixel|placeholder|transparent|lazy|loading|grey|gray)[^/]*\.(?:gif|png|svg)(?:$|\?)/i;

export interface CaptionedImage {
  url: string;
  caption: string | null;
  credit: string | null;
  alt: string | null;
}

/**
 * An absolute http(s) URL, or null: every URL a record carries (images, provenance, canonical)
 * passes here, so no javascript:, data: or other scheme reaches a consumer, however it is spelt
 * ("java\tscript:" is javascript: to a URL parser).
 */
export function absoluteUrl(value: string | null | undefined, base: string): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** A URL in a scheme that runs code when followed: worth a warning when a page offers one. */
export function isScriptUrl(value: string | null | undefined): boolean {
  try {
    return value ? /^(?:javascript|vbscript):$/.test(new URL(value.trim()).protocol) : false;
  } catch {
    return false;
  }
}

/** The largest candidate of a srcset ("a.jpg 480w, b.jpg 1200w" → b.jpg). */
export function largestFromSrcset(srcset: string): string | null {
  let best: { url: string; size: number } | null = null;
  for (const part of srcset.split(/,\s+(?=\S)/)) {
    const [url, descriptor] = part.trim().split(/\s+/);
    if (!url) continue;
    const size = descriptor ? Number.parseFloat(descriptor) * (descriptor.endsWith("x") ? 1000 : 1) : 1;
    if (!best || size > best.size) best = { url, size: Number.isNaN(size) ? 1 : size };
  }
  return best?.url ?? null;
}

/** Where the real image is, whatever lazy-loading trick the page uses. */
export function imageSource(img: Element): string | null {
  for (const attr of LAZY_ATTRIBUTES) {
    const value = img.getAttribute(attr);
    if (value && !PLACEHOLDER.test(value)) return value;
  }
  const src = img.getAttribute("src");
  if (src && !PLACEHOLDER.test(src)) return src;
  for (const attr of LAZY_SRCSET_ATTRIBUTES) {
    const value = img.getAttribute(attr);
    const best = value ? largestFromSrcset(value) : null;
    if (best) return best;
  }
  const source = img.closest("picture")?.querySelector("source[srcset], source[data-srcset]");
  const set = source?.getAttribute("srcset") ?? source?.getAttribute("data-srcset");
  return set ? largestFromSrcset(set) : null;
}

/**
 * Rewrites lazy images in place so the body extractor and the sanitiser see real `src`s, and
 * replaces a placeholder image by its <noscript> twin.
 */
export function resolveLazyImages(root: ParentNode, base: string): void {
  for (const noscript of Array.from(root.querySelectorAll("noscript"))) {
    // Scripts are off in every DOM we build, so a <noscript>'s markup is parsed into elements.
    const twin = noscript.querySelector("img[src]");
    const url = twin?.getAttribute("src")?.trim();
    if (!url) {
      noscript.remove();
      continue;
    }
    const alt = twin?.getAttribute("alt") ?? "";
    const previous = noscript.previousElementSibling;
    const placeholder = previous?.tagName.toUpperCase() === "IMG" ? previous : previous?.querySelector("img");
    if (placeholder) placeholder.remove();
    const img = noscript.ownerDocument.createElement("img");
    img.setAttribute("src", url);
    if (alt) img.setAttribute("alt", alt);
    noscript.replaceWith(img);
  }
  for (const img of Array.from(root.querySelectorAll("img"))) {
    const url = absoluteUrl(imageSource(img), base);
    if (url) img.setAttribute("src", url);
    else img.remove();
    for (const attr of [...LAZY_ATTRIBUTES, ...LAZY_SRCSET_ATTRIBUTES]) img.removeAttribute(attr);
  }
}

const BRACKETED_CREDIT = /\s*[([]([^()[\]]{1,80})[)\]]\s*$/;
const CREDIT_WORDS =
  /photo|picture|image|credit|file|via|getty|©|copyright|courtesy|source|\b(?:ap|afp|epa|reuters|aap|pa|dpa|ians|pti|xinhua|shutterstock|istock|alamy)\b/i;

/** A bracketed tail that credits: a credit word, or a few capitalised words ("NASA/JPL", "Manu Fernandez/AP"). */
function looksLikeCredit(inner: string): boolean {
  const text = inner.trim();
  if (CREDIT_WORDS.test(text)) return true;
  const words = text.split(/[\s/]+/).filter(Boolean);
  return words.length <= 4 && words.every((word) => /^\p{Lu}/u.test(word)) && !/\d/.test(text);
}

/** Splits "Caption text. Picture: AFP" into caption and credit. */
export function splitCaptionCredit(
  caption: string,
  credit: string | null,
): { caption: string | null; credit: string | null } {
  let text = caption;
  let found = credit;
  if (credit) {
    const at = text.lastIndexOf(credit);
    if (at >= 0) text = (text.slice(0, at) + text.slice(at + credit.length)).trim();
  }
  // "Above: …", "Pictured: …": where the image is, not what it shows.
  text = text.replace(/^(?:above|top|left|right|pictured|main picture|main image|cover image)\s*:\s*/i, "");
  // A short credit in brackets at the end: "(AP Photo/Jeffrey T. Barnes)", "[File: Reuters]", "(AFP)".
  const bracketed = BRACKETED_CREDIT.exec(text);
  if (bracketed?.[1] && looksLikeCredit(bracketed[1])) {
    found ??= bracketed[1].trim();
    text = text.slice(0, bracketed.index).trim();
  }
  const suffix = CREDIT_SUFFIX.exec(text);
  if (suffix?.[1]) {
    found ??= suffix[1].trim();
    text = text.slice(0, suffix.index).trim();
  }
  text = text.replace(/[\s|–—-]+$/, "").trim();
  const tidyCredit = found
    ?.replace(/^[(\s]+|[)\s.]+$/g, "")
    .replace(
      /^(?:(?:photo|picture|image|photograph|credit|foto|bild|تصوير|صورة)s?\s*(?:by\b|:)|by\b|©|copyright\b)\s*/iu,
      "",
    )
    .trim();
  return { caption: text || null, credit: tidyCredit || null };
}

function namesOf(element: Element): string {
  return `${element.getAttribute("class") ?? ""} ${element.getAttribute("itemprop") ?? ""}`;
}

/** First descendant (within `depth` levels) that the test accepts: a bounded walk, never the whole page. */
function findWithin(root: Element, depth: number, test: (element: Element) => boolean): Element | null {
  for (let child = root.firstElementChild; child; child = child.nextElementSibling) {
    if (test(child)) return child;
    if (depth > 1) {
      const found = findWithin(child, depth - 1, test);
      if (found) return found;
    }
  }
  return null;
}

const isCaption = (e: Element) => e.tagName.toUpperCase() === "FIGCAPTION" || CAPTION_NAMES.test(namesOf(e));
const isCredit = (e: Element) => CREDIT_NAMES.test(namesOf(e)) || e.getAttribute("itemprop") === "author";

/**
 * The nearest figure, or figure-like ancestor that holds a caption: one named as an image
 * container, or any close ancestor that holds this image alone (a gallery item, a "box" with the
 * image, its caption and its credit side by side).
 */
function captionContainer(img: Element): Element | null {
  let current = img.parentElement;
  for (let level = 0; current && level < 4; level++, current = current.parentElement) {
    const tag = current.tagName.toUpperCase();
    if (tag === "FIGURE") return current;
    if (tag === "BODY" || tag === "ARTICLE" || tag === "MAIN") return null;
    const named = CONTAINER_NAMES.test(current.getAttribute("class") ?? "");
    if ((named || (level < 3 && holdsOneImage(current))) && findWithin(current, 3, isCaption)) return current;
  }
  return null;
}

/**
 * A caption block that holds captions of its own ("caption" around "caption-full" and
 * "caption-truncated") reads as its first one, not as both run together.
 */
function innermostCaption(node: Element | null): Element | null {
  let current = node;
  for (let guard = 0; current && guard < 4; guard++) {
    const inner = findWithin(current, 2, isCaption);
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** True when the element holds no other image than one (checked on a bounded walk). */
function holdsOneImage(element: Element): boolean {
  let images = 0;
  const walk = (node: Element, depth: number): boolean => {
    for (let child = node.firstElementChild; child; child = child.nextElementSibling) {
      if (child.tagName.toUpperCase() === "IMG" && ++images > 1) return false;
      if (depth > 1 && !walk(child, depth - 1)) return false;
    }
    return true;
  };
  return walk(element, 6) && images === 1;
}

/** Caption and credit of every image that sits in a figure, keyed by absolute URL. */
export function collectCaptions(root: ParentNode, base: string): Map<string, CaptionedImage> {
  const byUrl = new Map<string, CaptionedImage>();
  for (const img of Array.from(root.querySelectorAll("img"))) {
    const url = absoluteUrl(imageSource(img), base);
    if (!url || byUrl.has(url)) continue;
    const figure = captionContainer(img);
    const captionNode = innermostCaption(figure ? findWithin(figure, 6, isCaption) : null);
    const creditNode = figure ? findWithin(figure, 6, isCredit) : null;
    const credit = inlineText(creditNode) || null;
    const split = splitCaptionCredit(inlineText(captionNode), credit);
    byUrl.set(url, {
      url,
      caption: split.caption,
      credit: split.credit,
      alt: img.getAttribute("alt")?.trim() || null,
    });
  }
  return byUrl;
}

/**
 * A key that survives resizing parameters and CDN variants ("/im-95840213/social" and
 * "/im-95840213?width=700" are one image): the path segment carrying the most digits, which is
 * where CDNs keep an image's id, or the file name when no segment has any.
 */
export function imageKey(url: string): string {
  try {
    const segments = new URL(url).pathname.split("/").filter(Boolean);
    let best = segments[segments.length - 1] ?? url;
    let bestDigits = 0;
    for (const segment of segments) {
      const digits = segment.replace(/\D/g, "").length;
      if (digits >= 5 && digits >= bestDigits) {
        best = segment;
        bestDigits = digits;
      }
    }
    // A CDN's resized variants carry their size after the id ("…SgN-320-80.jpg", "…-1024x768.jpg").
    return decodeURIComponent(best)
      .toLowerCase()
      .replace(/[-_](?:\d{2,4}x\d{2,4}|\d{2,4}(?:-\d{2,3})?)(?=\.[a-z0-9]+$)/, "");
  } catch {
    return url;
  }
}

export interface ImageListInput {
  /** Images inside the extracted body, in order. */
  body: CaptionedImage[];
  /** The page's declared lead image (JSON-LD, og:image), with what it says of it. */
  lead: { url: string; caption: string | null; credit: string | null } | null;
  captions: Map<string, CaptionedImage>;
}

/** One list: the lead first, each image once, each caption once. */
export function buildImageList({ body, lead, captions }: ImageListInput): ArticleImage[] {
  const images: ArticleImage[] = [];
  const seenKeys = new Set<string>();
  const seenCaptions = new Set<string>();
  const add = (image: CaptionedImage, isLead: boolean) => {
    const key = imageKey(image.url);
    if (seenKeys.has(key)) return;
    seenKeys.add(key);
    let caption = image.caption;
    if (caption) {
      const normal = caption.toLowerCase();
      if (seenCaptions.has(normal)) caption = null;
      else seenCaptions.add(normal);
    }
    images.push({ url: image.url, caption, credit: image.credit, alt: image.alt, isLead });
  };
  // No declared lead (no JSON-LD image, no og:image): the page's first picture with a caption or
  // a credit of its own, usually the figure above the story, leads.
  const figure = lead ? null : [...captions.values()].find((c) => c.caption || c.credit);
  if (figure) add(figure, true);
  if (lead) {
    const key = imageKey(lead.url);
    const same = [...captions.values()].filter((c) => imageKey(c.url) === key);
    // The same picture may be on the page several times (a thumbnail, a gallery): the captioned one tells.
    const known = same.find((c) => c.caption) ?? same[0];
    // A caption the page declares (JSON-LD) carries its credit inside as often as a printed one.
    const declared = lead.caption ? splitCaptionCredit(lead.caption, lead.credit) : null;
    add(
      {
        url: known?.url ?? lead.url,
        caption: known?.caption ?? declared?.caption ?? null,
        credit: known?.credit ?? declared?.credit ?? lead.credit,
        alt: known?.alt ?? null,
      },
      true,
    );
  }
  for (const image of body) add(captions.get(image.url) ?? image, !lead && images.length === 0);
  return images;
}

/** The images inside an extracted body, in order, without icons and tracking pixels. */
export function imagesIn(content: Element, base: string): CaptionedImage[] {
  const out: CaptionedImage[] = [];
  for (const img of Array.from(content.querySelectorAll("img"))) {
    const url = absoluteUrl(img.getAttribute("src"), base);
    if (!url) continue;
    const width = Number(img.getAttribute("width"));
    if (width > 0 && width < 50) continue;
    out.push({ url, caption: null, credit: null, alt: img.getAttribute("alt")?.trim() || null });
  }
  return out;
}

/** A caption printed again as a paragraph (the seed page does this) is dropped from the body. */
export function removeRepeatedCaptions(content: Element, captions: Map<string, CaptionedImage>): void {
  const known = new Set<string>();
  for (const c of captions.values()) if (c.caption) known.add(c.caption.toLowerCase());
  if (known.size === 0) return;
  for (const block of Array.from(content.querySelectorAll("p, div"))) {
    if (block.querySelector("p, div, img")) continue;
    const text = inlineText(block).toLowerCase();
    if (text && known.has(text)) block.remove();
  }
}
