import chardet from "chardet";
import iconv from "iconv-lite";

/**
 * Turns the bytes of an HTML document into a string, deciding the character encoding the way a
 * browser would, in this order:
 *
 * 1. a byte-order mark (UTF-8, UTF-16LE/BE). The issue lists the header first, but a BOM is evidence
 *    in the bytes themselves and browsers let it override the header (WHATWG "decode"); a UTF-8 BOM
 *    under a "windows-1252" header is a misconfigured server, not a Latin-1 page starting with "ï»¿";
 * 2. the `charset` parameter of the Content-Type header;
 * 3. `<meta charset>` or `<meta http-equiv="content-type">` in the first bytes of the document;
 * 4. detection: strict UTF-8 first (valid UTF-8 is almost never an accident), then chardet;
 * 5. windows-1252, the web's historical default.
 *
 * Labels are mapped the way the WHATWG Encoding Standard does (e.g. "iso-8859-1" and "us-ascii"
 * decode as windows-1252, "gb2312" as gb18030, "shift_jis" as Microsoft's cp932), because that is
 * what publishers' pages were written and tested against. The returned `charset` is the name of the
 * encoding actually used, lower-case.
 */
export interface DecodedHtml {
  html: string;
  charset: string;
}

export type CharsetSource = "bom" | "header" | "meta" | "detected" | "default";

/** How far into the document the <meta> prescan looks. WHATWG says 1024; real pages need more. */
const META_PRESCAN_BYTES = 4096;
/** How many bytes chardet looks at: enough for a statistical guess, bounded for speed. */
const DETECT_SAMPLE_BYTES = 64 * 1024;
/** Below this chardet confidence (0–100) we fall back to windows-1252. */
const MIN_DETECT_CONFIDENCE = 40;

/**
 * Label → the encoding we decode with. Names on the right are both what we report and a name iconv-lite
 * (or, failing that, the platform TextDecoder) knows. Only labels that need remapping are listed; any
 * other label is tried as-is.
 */
const LABEL_ALIASES: Record<string, string> = {
  utf8: "utf-8",
  "unicode-1-1-utf-8": "utf-8",
  "x-unicode20utf8": "utf-8",
  "iso-8859-1": "windows-1252",
  iso8859_1: "windows-1252",
  "iso8859-1": "windows-1252",
  "iso-ir-100": "windows-1252",
  "iso_8859-1": "windows-1252",
  latin1: "windows-1252",
  l1: "windows-1252",
  "us-ascii": "windows-1252",
  ascii: "windows-1252",
  "ansi_x3.4-1968": "windows-1252",
  cp1252: "windows-1252",
  cp819: "windows-1252",
  ibm819: "windows-1252",
  "x-cp1252": "windows-1252",
  gb2312: "gb18030",
  gbk: "gb18030",
  cp936: "gb18030",
  "x-gbk": "gb18030",
  chinese: "gb18030",
  csgb2312: "gb18030",
  "iso-ir-58": "gb18030",
  shift_jis: "shift_jis",
  "shift-jis": "shift_jis",
  sjis: "shift_jis",
  "x-sjis": "shift_jis",
  ms932: "shift_jis",
  ms_kanji: "shift_jis",
  "windows-31j": "shift_jis",
  csshiftjis: "shift_jis",
  "euc-kr": "euc-kr",
  "ks_c_5601-1987": "euc-kr",
  "windows-949": "euc-kr",
  cp949: "euc-kr",
  "big5-hkscs": "big5",
  "cn-big5": "big5",
  "x-x-big5": "big5",
  "iso-8859-9": "windows-1254",
  latin5: "windows-1254",
  "iso-8859-11": "windows-874",
  "tis-620": "windows-874",
  "utf-16": "utf-16le",
  unicode: "utf-16le",
  ucs2: "utf-16le",
  "x-user-defined": "windows-1252",
};

/** The name iconv-lite decodes with, when it differs from the name we report. */
const DECODER_NAME: Record<string, string> = {
  shift_jis: "cp932",
  "euc-kr": "cp949",
  big5: "big5hkscs",
};

/** Normalises a charset label to the encoding we decode with, or null when nothing can decode it. */
export function normalizeCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const cleaned = label
    .trim()
    .replace(/^["']|["']$/g, "")
    .trim()
    .toLowerCase();
  if (cleaned === "") return null;
  const name = LABEL_ALIASES[cleaned] ?? cleaned;
  return canDecode(name) ? name : null;
}

function canDecode(name: string): boolean {
  if (iconv.encodingExists(DECODER_NAME[name] ?? name)) return true;
  try {
    new TextDecoder(name);
    return true;
  } catch {
    return false;
  }
}

function decodeWith(bytes: Uint8Array, charset: string): string {
  const decoderName = DECODER_NAME[charset] ?? charset;
  if (iconv.encodingExists(decoderName)) {
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), decoderName, {
      stripBOM: true,
    });
  }
  // iconv-lite lacks a few stateful encodings (iso-2022-jp); Node's ICU-backed decoder has them.
  return new TextDecoder(charset).decode(bytes);
}

/** The `charset` parameter of a Content-Type value, as written. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*("[^"]*"|[^;\s]*)/i.exec(contentType);
  return match?.[1] ? match[1].replace(/^"|"$/g, "") : null;
}

function charsetFromBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return null;
}

/**
 * The charset declared by a <meta> tag near the start of the document. The prefix is read as Latin-1,
 * which keeps every ASCII byte where it is whatever the real encoding, so the tags can be matched.
 */
export function charsetFromMeta(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, META_PRESCAN_BYTES))
    .toString("latin1")
    .replace(/<!--[\s\S]*?(?:-->|$)/g, "");
  for (const tag of head.matchAll(/<meta\b[^>]*>/gi)) {
    const text = tag[0];
    const attribute = /\scharset\s*=\s*["']?\s*([^"'\s/>;]+)/i.exec(text);
    if (attribute?.[1]) return attribute[1];
    if (/\shttp-equiv\s*=\s*["']?\s*content-type/i.test(text)) {
      const content = /\scontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(text);
      const declared = charsetFromContentType(content?.[1] ?? content?.[2] ?? content?.[3]);
      if (declared) return declared;
    }
  }
  return null;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    // stream: true so a multi-byte sequence cut off by a truncated body does not count against UTF-8.
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function detectCharset(bytes: Uint8Array): string | null {
  if (bytes.byteLength === 0) return null;
  // Checking the whole document is cheap (native) and catches Latin-1 bytes after an ASCII-only start.
  if (isValidUtf8(bytes)) return "utf-8";
  // Statistics need the non-ASCII text, which often starts after kilobytes of ASCII markup.
  const firstHigh = bytes.findIndex((byte) => byte >= 0x80);
  const start = Math.max(0, firstHigh - 256);
  const best = chardet.analyse(bytes.subarray(start, start + DETECT_SAMPLE_BYTES))[0];
  // On a few accented words chardet's guesses are close to noise (windows-1250 for French, say); the
  // web's default is the better bet then.
  if (!best || best.confidence < MIN_DETECT_CONFIDENCE) return null;
  return normalizeCharset(best.name);
}

/** Decides the encoding of an HTML document and where that decision came from. */
export function sniffCharset(
  bytes: Uint8Array,
  contentType: string | null,
): { charset: string; source: CharsetSource } {
  const bom = charsetFromBom(bytes);
  if (bom) return { charset: bom, source: "bom" };
  const header = normalizeCharset(charsetFromContentType(contentType));
  if (header) return { charset: header, source: "header" };
  let meta = normalizeCharset(charsetFromMeta(bytes));
  // A document cannot declare itself UTF-16 from inside an ASCII-compatible <meta>: WHATWG reads it as UTF-8.
  if (meta?.startsWith("utf-16")) meta = "utf-8";
  if (meta) return { charset: meta, source: "meta" };
  const detected = detectCharset(bytes);
  if (detected) return { charset: detected, source: "detected" };
  return { charset: "windows-1252", source: "default" };
}

export function decodeHtmlBytes(bytes: Uint8Array, contentType: string | null): DecodedHtml {
  const { charset } = sniffCharset(bytes, contentType);
  return { html: decodeWith(bytes, charset), charset };
}

/** Decodes bytes with a charset already chosen (e.g. one stored in a snapshot), BOM stripped. */
export function decodeWithCharset(bytes: Uint8Array, charset: string): string {
  const name = normalizeCharset(charset) ?? "windows-1252";
  return decodeWith(bytes, name);
}
