import { CopydeskError } from "../domain/errors.js";

/**
 * Whether bytes handed to `extract` are an HTML page at all, judged from the bytes themselves and
 * never from a file name: a PNG called story.html is still a PNG, and a page saved as story.txt is
 * still a page. Without this check a binary file comes out as an article of mojibake.
 */

/** How far into the input the byte checks look: signatures sit at the start, and so does a text's character. */
const SAMPLE_BYTES = 8192;
/** How far the text checks look for the document's first element. */
const SAMPLE_CHARS = 65_536;

type Signature = readonly [what: string, offset: number, bytes: readonly number[]];

const ascii = (text: string): number[] => Array.from(text, (char) => char.charCodeAt(0));

// Formats met where saved pages are kept: images, documents, archives, media, fonts, executables.
const SIGNATURES: readonly Signature[] = [
  ["a PNG image", 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ["a JPEG image", 0, [0xff, 0xd8, 0xff]],
  ["a GIF image", 0, ascii("GIF87a")],
  ["a GIF image", 0, ascii("GIF89a")],
  ["a WebP image", 8, ascii("WEBP")],
  ["a TIFF image", 0, [0x49, 0x49, 0x2a, 0x00]],
  ["a TIFF image", 0, [0x4d, 0x4d, 0x00, 0x2a]],
  ["a PDF document", 0, ascii("%PDF-")],
  ["a PostScript document", 0, ascii("%!PS")],
  ["an RTF document", 0, ascii("{\\rtf")],
  ["an OLE2 document (.doc, .xls)", 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]],
  ["a ZIP archive (or .docx, .epub, .jar)", 0, [0x50, 0x4b, 0x03, 0x04]],
  ["a ZIP archive", 0, [0x50, 0x4b, 0x05, 0x06]],
  ["gzip-compressed data (gunzip it first)", 0, [0x1f, 0x8b]],
  ["bzip2-compressed data", 0, ascii("BZh")],
  ["xz-compressed data", 0, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ["zstd-compressed data", 0, [0x28, 0xb5, 0x2f, 0xfd]],
  ["a 7-Zip archive", 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ["a WARC file (use --warc)", 0, ascii("WARC/")],
  ["an SQLite database", 0, ascii("SQLite format 3")],
  ["an ELF executable", 0, [0x7f, 0x45, 0x4c, 0x46]],
  ["a WebAssembly module", 0, [0x00, 0x61, 0x73, 0x6d]],
  ["an MP4 or QuickTime video", 4, ascii("ftyp")],
  ["an MP3 file", 0, ascii("ID3")],
  ["an Ogg file", 0, ascii("OggS")],
  ["a FLAC file", 0, ascii("fLaC")],
  ["a WOFF font", 0, ascii("wOFF")],
  ["a WOFF2 font", 0, ascii("wOF2")],
];

function matches(bytes: Uint8Array, [, offset, signature]: Signature): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, index) => bytes[offset + index] === byte);
}

/** UTF-16 text has a NUL beside every ASCII character: with its BOM, the NUL check does not apply. */
function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/**
 * Control bytes that no text encoding a page may use produces (WHATWG MIME Sniffing's "binary data
 * bytes"): NUL is never in an HTML page; the others can slip into one by a bad copy and paste, so
 * only a text made of them in earnest (over 1% of its first bytes) is taken for binary.
 */
function isBinaryDataByte(byte: number): boolean {
  return byte <= 0x08 || byte === 0x0b || (byte >= 0x0e && byte <= 0x1a) || (byte >= 0x1c && byte <= 0x1f);
}

/** Why these bytes are not an HTML page (a known binary format, or binary data), or null. */
export function binaryReason(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  const signature = SIGNATURES.find((candidate) => matches(bytes, candidate));
  if (signature) return signature[0];
  if (hasUtf16Bom(bytes)) return null;
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) return "binary data (it has NUL bytes)";
    if (isBinaryDataByte(byte)) controls++;
  }
  return controls > sample.length / 100 ? "binary data (control bytes)" : null;
}

/** XML documents that are not pages, by their root element. */
const NON_PAGE_ROOTS: Record<string, string> = {
  rss: "an RSS feed",
  "rdf:rdf": "an RSS feed",
  feed: "an Atom feed",
  urlset: "a sitemap",
  sitemapindex: "a sitemap",
  svg: "an SVG image",
};

// The prolog a document may open with: declarations, processing instructions, comments, a doctype.
const LEADING_ELEMENT = /^\s*(?:<\?[^>]*>\s*|<!--[\s\S]*?-->\s*|<!doctype[^>]*>\s*)*<([a-z][\w:.-]*)/i;
// An HTML start or end tag: a name, then attributes up to '>'. A '<' of prose ("a < b") is not one.
const TAG = /<\/?[a-z][a-z0-9-]*(?:[\s/][^<>]*)?>/i;

/**
 * Why this decoded text is not an HTML page (a feed, a sitemap, JSON, or text with no markup at
 * all), or null. Markup anywhere in the text is enough: saved pages are often fragments.
 */
export function textReason(text: string): string | null {
  const head = text.slice(0, SAMPLE_CHARS).replace(/^\uFEFF/, "");
  const root = LEADING_ELEMENT.exec(head)?.[1]?.toLowerCase();
  if (root && root in NON_PAGE_ROOTS) return NON_PAGE_ROOTS[root] ?? null;
  const start = head.trimStart()[0];
  if ((start === "{" || start === "[") && isJson(text)) return "JSON";
  if (!TAG.test(text)) return head.trim() === "" ? "blank" : "text with no markup";
  return null;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** INPUT_NOT_HTML for `source` (a file, a URL, a WARC record), saying what it is instead. */
export function notHtmlError(source: string, reason: string): CopydeskError {
  return new CopydeskError("INPUT_NOT_HTML", `${source} is ${reason}, not HTML`, {
    details: { source, reason },
  });
}
