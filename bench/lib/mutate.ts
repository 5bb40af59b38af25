import { decodeHtmlBytes } from "../../src/fetchers/charset.js";
import { randomIndex, seededRandom } from "./seeded-random.js";

/**
 * Seeded, deterministic mutations of a page's HTML for the fuzz suite (`npm run fuzz`) and the
 * property test: plain damage a real fetch can produce (truncation, flipped bytes, tag soup) and
 * hostile pages built to exhaust a parser (deep nesting, huge nodes, floods, JSON-LD bombs, markup
 * and script URLs in metadata). The same seed and page always give the same output, so a failing
 * case is reproduced from its seed and index alone.
 */

export type Random = () => number;

export interface MutateContext {
  random: Random;
  /**
   * Multiplies every hostile size: 1 gives the full sizes (tens of thousands of nested elements,
   * megabytes of text), the property test uses about 0.01 so a case parses in milliseconds.
   */
  scale: number;
}

export interface Mutation {
  html: string;
  /** Which variant of the mutator ran, e.g. "inside-tag" or "img×200000": counted in reports. */
  variant: string;
}

export interface Mutator {
  name: string;
  /** Plain damage, or pages built to be hostile (larger, slower, fewer of them in a run). */
  family: "plain" | "hostile";
  /**
   * Cases of a 10,000-case fuzz run that get this mutator. Hostile pages take up to seconds each
   * (they are built to reach the caps), plain damage tens of milliseconds, so hostile ones are fewer.
   */
  weight: number;
  mutate(html: string, context: MutateContext): Mutation;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** An integer in [min, max]. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + randomIndex(random, max - min + 1);
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[randomIndex(random, items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/**
 * A hostile size in [min, max] times the scale (at least 1); one time in four exactly the maximum,
 * so the extremes the limits were designed for are always among the cases.
 */
export function hostileSize(context: MutateContext, min: number, max: number): number {
  const value = context.random() < 0.25 ? max : randomInt(context.random, min, max);
  return Math.max(1, Math.round(value * context.scale));
}

/** A random word-like token, for text that is not the same repeated string. */
function word(random: Random): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let out = "";
  for (let i = randomInt(random, 2, 9); i > 0; i--) out += letters[randomIndex(random, letters.length)];
  return out;
}

/** About `chars` characters of words separated by spaces, built from a small random vocabulary. */
function wordsOf(random: Random, chars: number): string {
  const vocabulary = Array.from({ length: 64 }, () => word(random));
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const next = pick(random, vocabulary);
    parts.push(next);
    length += next.length + 1;
  }
  return parts.join(" ");
}

const HEAD_OPEN = /<head\b[^>]*>/i;
const BODY_OPEN = /<body\b[^>]*>/i;

/** Puts `fragment` just inside <head> (or at the very start when the page has none). */
export function injectIntoHead(html: string, fragment: string): string {
  const head = HEAD_OPEN.exec(html);
  if (!head) return fragment + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + fragment + html.slice(at);
}

/** Puts `fragment` at a random tag boundary of the body (appended when the page has no body tag). */
export function injectIntoBody(html: string, fragment: string, random: Random): string {
  const body = BODY_OPEN.exec(html);
  if (!body) return html + fragment;
  const start = body.index + body[0].length;
  const end = Math.max(start, html.toLowerCase().lastIndexOf("</body"));
  const target = randomInt(random, start, end);
  const boundary = html.indexOf("<", target);
  const at = boundary === -1 || boundary > end ? end : boundary;
  return html.slice(0, at) + fragment + html.slice(at);
}

const ENCODER = new TextEncoder();

/** Bytes back to a string the way the fetcher does it (BOM, header, <meta>, detection). */
function decodeAsFetched(bytes: Uint8Array, contentType: string | null): string {
  return decodeHtmlBytes(bytes, contentType).html;
}

// ---------------------------------------------------------------------------------------------
// Plain damage

const truncate: Mutator = {
  name: "truncate",
  family: "plain",
  weight: 1880,
  mutate(html, { random }) {
    const variant = pick(random, ["anywhere", "inside-tag", "in-head", "root-tag", "bytes"] as const);
    switch (variant) {
      case "anywhere":
        return { html: html.slice(0, randomInt(random, 0, html.length)), variant };
      case "inside-tag": {
        const from = randomInt(random, 0, html.length);
        const tag = html.indexOf("<", from);
        const at = tag === -1 ? html.lastIndexOf("<") : tag;
        return { html: html.slice(0, Math.max(0, at) + randomInt(random, 1, 12)), variant };
      }
      case "in-head":
        return { html: html.slice(0, randomInt(random, 0, Math.min(html.length, 2048))), variant };
      case "root-tag": {
        // Cut just inside the root element's start tag: `<!DOCTYPE html><html ` and nothing more.
        const root = /<html\b/i.exec(html);
        const prefix = root
          ? html.slice(0, root.index + 5 + randomInt(random, 0, 2))
          : "<!DOCTYPE html><html ";
        return { html: prefix, variant };
      }
      case "bytes": {
        // Cut in the byte stream, possibly inside a multi-byte character, and decode as fetched.
        const bytes = ENCODER.encode(html);
        return {
          html: decodeAsFetched(bytes.subarray(0, randomInt(random, 0, bytes.length)), null),
          variant,
        };
      }
    }
  },
};

/** Headers that make the fetcher decode UTF-8 bytes as something else. */
const CONTENT_TYPES = [
  "text/html; charset=windows-1252",
  "text/html; charset=shift_jis",
  "text/html; charset=utf-16le",
  "text/html; charset=x-user-defined",
  "text/html; charset=bogus-charset",
] as const;

const byteFlip: Mutator = {
  name: "byte-flip",
  family: "plain",
  weight: 1880,
  mutate(html, { random }) {
    const bytes = ENCODER.encode(html);
    const variant = pick(random, ["bits", "bytes", "invalid-utf8", "nul", "bom", "charset"] as const);
    const flips = randomInt(random, 1, 64);
    let out: Uint8Array = bytes;
    let contentType: string | null = null;
    if (bytes.length > 0) {
      switch (variant) {
        case "bits":
          for (let i = 0; i < flips; i++) {
            const at = randomIndex(random, bytes.length);
            bytes[at] = (bytes[at] ?? 0) ^ (1 << randomIndex(random, 8));
          }
          break;
        case "bytes":
          for (let i = 0; i < flips; i++) bytes[randomIndex(random, bytes.length)] = randomIndex(random, 256);
          break;
        case "invalid-utf8":
          for (let i = 0; i < flips; i++) {
            bytes[randomIndex(random, bytes.length)] = pick(
              random,
              [0x80, 0xbf, 0xc0, 0xc1, 0xed, 0xf5, 0xff],
            );
          }
          break;
        case "nul":
          for (let i = 0; i < flips; i++) bytes[randomIndex(random, bytes.length)] = 0;
          break;
        case "bom": {
          // A UTF-16 byte-order mark overrides every other hint, as it does in browsers.
          const bom = pick(random, [
            [0xff, 0xfe],
            [0xfe, 0xff],
          ]);
          out = new Uint8Array([...bom, ...bytes]);
          break;
        }
        case "charset":
          contentType = pick(random, CONTENT_TYPES);
          break;
      }
    }
    return { html: decodeAsFetched(out, contentType), variant };
  },
};

/** Tags and the text between them, in order: tag soup reorders and drops these. */
function tokenize(html: string): string[] {
  return html.match(/<[^<>]*>|[^<]+|</g) ?? [];
}

const SOUP_INSERTS = [
  "</html>",
  "</body>",
  "</head>",
  "<html>",
  "<body>",
  "<head>",
  "stray text",
  "<frameset><frame src=a.html></frameset>",
  '<frameset rows="*"><frame src="javascript:alert(1)">',
  "<table><td>cell",
  "<p><table><p>",
  "<b><i>misnested</b></i>",
  "<title>unclosed title",
  "<textarea>unclosed textarea",
  "<xmp>",
  "<plaintext>",
  "<svg><p>foreign</svg>",
  "<math><mi><table>",
  "<template><p>in a template",
  "<noscript><p>no script",
  "<select><p>in a select",
  "<form><form>",
  "</p></p></div></span>",
  "<a href=x><a href=y>",
  "<li><dd><dt>",
  "<!DOCTYPE html>",
] as const;

const tagSoup: Mutator = {
  name: "tag-soup",
  family: "plain",
  weight: 1880,
  mutate(html, { random }) {
    const tokens = tokenize(html);
    const variant = pick(random, ["shuffle", "unclose", "insert", "before-body", "mixed"] as const);
    const operations = randomInt(random, 1, 20);
    const shuffle = () => {
      if (tokens.length < 2) return;
      const start = randomIndex(random, tokens.length);
      const end = Math.min(tokens.length, start + randomInt(random, 2, 200));
      for (let i = end - 1; i > start; i--) {
        const j = start + randomIndex(random, i - start + 1);
        [tokens[i], tokens[j]] = [tokens[j] ?? "", tokens[i] ?? ""];
      }
    };
    const unclose = () => {
      // Drop a run of end tags, or duplicate a start tag without its end.
      for (let tries = 0; tries < 50 && tokens.length > 0; tries++) {
        const at = randomIndex(random, tokens.length);
        const token = tokens[at] ?? "";
        if (token.startsWith("</")) {
          tokens[at] = "";
          return;
        }
        if (/^<[a-z]/i.test(token)) {
          tokens.splice(at, 0, token);
          return;
        }
      }
    };
    const insert = () => tokens.splice(randomIndex(random, tokens.length + 1), 0, pick(random, SOUP_INSERTS));
    const beforeBody = () => {
      const body = tokens.findIndex((token) => /^<body\b/i.test(token));
      const at = body === -1 ? randomIndex(random, Math.min(tokens.length, 20) + 1) : body;
      tokens.splice(
        at,
        0,
        pick(random, [
          "text before the body ",
          "<p>a paragraph before the body</p>",
          "<frameset>",
          "</html>",
          "<div>",
        ]),
      );
    };
    const steps = { shuffle, unclose, insert, "before-body": beforeBody } as const;
    for (let i = 0; i < operations; i++) {
      const step = variant === "mixed" ? pick(random, Object.values(steps)) : steps[variant];
      step();
    }
    return { html: tokens.join(""), variant };
  },
};

// ---------------------------------------------------------------------------------------------
// Hostile pages

const deepNesting: Mutator = {
  name: "deep-nesting",
  family: "hostile",
  weight: 70,
  mutate(html, context) {
    const { random } = context;
    const depth = hostileSize(context, 20_000, 60_000);
    const shape = pick(random, ["div", "span", "mixed", "table", "list", "blockquote"] as const);
    const closed = random() < 0.5;
    const shapes: Record<typeof shape, [string, string]> = {
      div: ["<div>", "</div>"],
      span: ["<span>", "</span>"],
      mixed: ['<div><span><b><i><a href="#">', "</a></i></b></span></div>"],
      table: ["<table><tr><td>", "</td></tr></table>"],
      list: ["<ul><li>", "</li></ul>"],
      blockquote: ["<blockquote>", "</blockquote>"],
    };
    const [open, close] = shapes[shape];
    const fragment = `${open.repeat(depth)}deep text at the bottom${closed ? close.repeat(depth) : ""}`;
    return {
      html: injectIntoBody(html, fragment, random),
      variant: `${shape}×${depth}${closed ? "" : " unclosed"}`,
    };
  },
};

const hugeText: Mutator = {
  name: "huge-text",
  family: "hostile",
  weight: 60,
  mutate(html, context) {
    const { random } = context;
    const chars = hostileSize(context, 1_000_000, 8_000_000);
    const place = pick(random, ["paragraph", "one-word", "title", "meta", "alt", "caption"] as const);
    const text = place === "one-word" ? "a".repeat(chars) : wordsOf(random, chars);
    const variant = `${place} ${(chars / 1e6).toFixed(1)}M`;
    switch (place) {
      case "paragraph":
      case "one-word":
        return { html: injectIntoBody(html, `<p>${text}</p>`, random), variant };
      case "title":
        return { html: injectIntoHead(html, `<title>${text}</title>`), variant };
      case "meta":
        return { html: injectIntoHead(html, `<meta property="og:title" content="${text}">`), variant };
      case "alt":
        return { html: injectIntoBody(html, `<img src="/huge-alt.jpg" alt="${text}">`, random), variant };
      case "caption":
        return {
          html: injectIntoBody(
            html,
            `<figure><img src="/c.jpg"><figcaption>${text}</figcaption></figure>`,
            random,
          ),
          variant,
        };
    }
  },
};

const entityFlood: Mutator = {
  name: "entity-flood",
  family: "hostile",
  weight: 60,
  mutate(html, context) {
    const { random } = context;
    const count = hostileSize(context, 100_000, 1_000_000);
    const entity = pick(random, [
      "&amp;",
      "&#38;",
      "&#x26;",
      "&nbsp;",
      "&amp",
      "&",
      "&lt;img src=x onerror=alert(1)&gt;",
    ]);
    const place = pick(random, ["body", "title", "og:title"] as const);
    const flood = entity.repeat(count);
    const variant = `${entity}×${count} in ${place}`;
    if (place === "body") return { html: injectIntoBody(html, `<p>${flood}</p>`, random), variant };
    if (place === "title") return { html: injectIntoHead(html, `<title>${flood}</title>`), variant };
    return { html: injectIntoHead(html, `<meta property="og:title" content="${flood}">`), variant };
  },
};

const manyElements: Mutator = {
  name: "many-elements",
  family: "hostile",
  weight: 40,
  mutate(html, context) {
    const { random } = context;
    const kind = pick(random, ["img", "p", "a", "figure", "br", "meta", "json-ld"] as const);
    const [min, max, element] = {
      img: [20_000, 200_000, (i: number) => `<img src="/i/${i}.jpg" alt="image ${i}">`],
      p: [100_000, 1_000_000, () => "<p>"],
      a: [20_000, 200_000, (i: number) => `<a href="/link/${i}">link ${i}</a>`],
      figure: [
        10_000,
        100_000,
        (i: number) => `<figure><img src="/f/${i}.jpg"><figcaption>Caption ${i}</figcaption></figure>`,
      ],
      br: [100_000, 500_000, () => "<br>"],
      meta: [10_000, 100_000, (i: number) => `<meta property="article:tag" content="tag ${i}">`],
      "json-ld": [
        1_000,
        20_000,
        (i: number) => `<script type="application/ld+json">{"@type":"Thing","name":"t${i}"}</script>`,
      ],
    }[kind] as [number, number, (i: number) => string];
    const count = hostileSize(context, min, max);
    const parts: string[] = new Array(count);
    for (let i = 0; i < count; i++) parts[i] = element(i);
    const fragment = parts.join("");
    const variant = `${kind}×${count}`;
    if (kind === "meta" || kind === "json-ld") return { html: injectIntoHead(html, fragment), variant };
    return { html: injectIntoBody(html, fragment, random), variant };
  },
};

const UNCLOSED = [
  "<!--",
  "<script",
  "<script>",
  "Original URL: <",
  "<style>",
  "<textarea>",
  "<![CDATA[",
  "<?",
  "</",
  '<a href="',
  "<iframe",
  "<noscript>",
  "<title>",
] as const;

const unclosedFlood: Mutator = {
  name: "unclosed-flood",
  family: "hostile",
  weight: 70,
  mutate(html, context) {
    const { random } = context;
    const opener = pick(random, UNCLOSED);
    const count = hostileSize(context, 10_000, 100_000);
    return { html: injectIntoBody(html, opener.repeat(count), random), variant: `${opener}×${count}` };
  },
};

const SCRIPT_URLS = [
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "java\tscript:alert(1)",
  " javascript:alert(1)",
  "vbscript:msgbox(1)",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "data:image/svg+xml,<svg onload=alert(1)>",
  "javascript://%0aalert(1)",
] as const;

/** The same script URLs spelt as they appear inside an HTML attribute (entities, raw tabs). */
const ATTRIBUTE_SCRIPT_URLS = [
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "java&#9;script:alert(1)",
  "&#106;avascript:alert(1)",
  "javascript&colon;alert(1)",
  " javascript:alert(1)",
  "\u0001javascript:alert(1)",
  "vbscript:msgbox(1)",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "livescript:alert(1)",
] as const;

const MARKUP = [
  "<img src=x onerror=alert(1)>",
  "<b onmouseover=alert(1)>bold</b>",
  "<script>alert(1)</script>",
  "<svg onload=alert(1)>",
  "<a href=javascript:alert(1)>link</a>",
  '<iframe src="javascript:alert(1)"></iframe>',
  "<!-- comment -->",
  "<style>*{}</style>",
  "<div style=x>div</div>",
  "<img src=x onerror=alert(1)",
] as const;

/** JSON string literal of `value` with markup escaped the way some CMSes do (\u003c). */
function jsonString(value: string, random: Random): string {
  const literal = JSON.stringify(value);
  return random() < 0.3 ? literal.replace(/</g, "\\u003c").replace(/>/g, "\\u003e") : literal;
}

function jsonLdScript(json: string): string {
  return `<script type="application/ld+json">${json}</script>`;
}

const hostileJsonLd: Mutator = {
  name: "hostile-json-ld",
  family: "plain",
  weight: 1880,
  mutate(html, { random }) {
    const variant = pick(random, [
      "script-urls",
      "markup",
      "wrong-types",
      "invalid",
      "proto",
      "graph",
    ] as const);
    const markup = () => jsonString(`Headline ${pick(random, MARKUP)} words`, random);
    const url = () => jsonString(pick(random, SCRIPT_URLS), random);
    let json: string;
    switch (variant) {
      case "script-urls":
        json = `{"@context":"https://schema.org","@type":"NewsArticle","headline":"Script URLs","isBasedOn":${url()},"url":${url()},"mainEntityOfPage":{"@id":${url()}},"image":[${url()},{"url":${url()},"caption":${markup()}}],"author":{"@type":"Person","name":"Jane Doe","url":${url()}},"publisher":{"@type":"Organization","name":"Pub","logo":{"url":${url()}}},"sourceOrganization":{"name":"Wire","url":${url()}}}`;
        break;
      case "markup":
        json = `{"@context":"https://schema.org","@type":"NewsArticle","headline":${markup()},"description":${markup()},"alternativeHeadline":${markup()},"author":[{"@type":"Person","name":${markup()}},${markup()}],"articleSection":${markup()},"keywords":[${markup()},${markup()}],"publisher":{"name":${markup()}},"image":{"url":"https://img.example.org/a.jpg","caption":${markup()},"creditText":${markup()}}}`;
        break;
      case "wrong-types":
        json = `{"@type":["NewsArticle",7,null],"headline":${pick(random, ["42", "true", "null", "{}", "[[[]]]", '{"@value":"<b>x</b>"}'])},"author":${pick(random, ["7", '{"name":{"name":"x"}}', "[null,1,true]", '"<b onmouseover=x>By Jane</b>"'])},"datePublished":${pick(random, ['"yesterday"', "1e308", '"9999-99-99"', "[]"])},"isAccessibleForFree":${pick(random, ['"False"', "0", '"maybe"'])},"isBasedOn":${pick(random, ["[]", "{}", '[{"url":{}}]', "123"])}}`;
        break;
      case "invalid":
        json = pick(random, [
          '{"@type":"NewsArticle","headline":"Unterminated',
          "{'@type':'NewsArticle'}",
          '{"@type":"NewsArticle",,}',
          "<!-- {} -->",
          '{"@type":"NewsArticle","headline":"</script><img src=x onerror=alert(1)>"}',
          "",
          "]]]]}}}",
        ]);
        break;
      case "proto":
        json = `{"__proto__":{"headline":"polluted","isAdmin":true},"constructor":{"prototype":{"x":1}},"@type":"NewsArticle","headline":"Proto","toString":"x","hasOwnProperty":"y"}`;
        break;
      case "graph": {
        const entries = randomInt(random, 1, 200);
        const items = Array.from(
          { length: entries },
          (_, i) =>
            `{"@type":"${pick(random, ["NewsArticle", "WebPage", "Person", "ImageObject", "Organization"])}","@id":"#n${i}","headline":${i % 7 === 0 ? markup() : `"Part ${i}"`},"url":${i % 5 === 0 ? url() : `"https://news.example.org/${i}"`}}`,
        );
        json = `{"@context":"https://schema.org","@graph":[${items.join(",")}]}`;
        break;
      }
    }
    return { html: injectIntoHead(html, jsonLdScript(json)), variant };
  },
};

const jsonLdBomb: Mutator = {
  name: "json-ld-bomb",
  family: "hostile",
  weight: 50,
  mutate(html, context) {
    const { random } = context;
    const variant = pick(random, ["deep-arrays", "deep-objects", "huge-string", "huge-graph"] as const);
    let json: string;
    let size: number;
    switch (variant) {
      case "deep-arrays":
        size = hostileSize(context, 10_000, 50_000);
        json = `${"[".repeat(size)}{"@type":"NewsArticle","headline":"Deep","isBasedOn":"javascript:alert(1)"}${"]".repeat(size)}`;
        break;
      case "deep-objects":
        size = hostileSize(context, 10_000, 50_000);
        json = `${'{"@type":"NewsArticle","author":'.repeat(size)}"x"${"}".repeat(size)}`;
        break;
      case "huge-string": {
        size = hostileSize(context, 500_000, 3_000_000);
        const field = pick(random, ["headline", "articleBody", "description", "author"]);
        json = `{"@type":"NewsArticle","${field}":${JSON.stringify(wordsOf(random, size))}}`;
        break;
      }
      case "huge-graph":
        size = hostileSize(context, 5_000, 50_000);
        json = `{"@graph":[${Array.from({ length: size }, (_, i) => `{"@type":"NewsArticle","headline":"h${i}","author":{"name":"a${i}"}}`).join(",")}]}`;
        break;
    }
    return { html: injectIntoHead(html, jsonLdScript(json)), variant: `${variant} ${size}` };
  },
};

/** Metadata and body fragments that try to carry markup or script URLs into the record's fields. */
const HOSTILE_META: readonly ((random: Random) => { head?: string; body?: string })[] = [
  () => ({ head: '<meta property="og:title" content="Dam opens &lt;img src=x onerror=alert(1)&gt; today">' }),
  (r) => ({ head: `<meta property="og:title" content="${escapeAttribute(pick(r, MARKUP))} title">` }),
  (r) => ({ head: `<meta name="twitter:title" content="${escapeAttribute(pick(r, MARKUP))}">` }),
  () => ({ head: "<title>&lt;img src=x onerror=alert(1)&gt; Title</title>" }),
  () => ({ head: "<title><script>alert(1)</script> Title</title>" }),
  () => ({ head: '<meta name="author" content="<b onmouseover=alert(1)>Jane Doe</b>">' }),
  (r) => ({ head: `<meta name="byl" content="By ${escapeAttribute(pick(r, MARKUP))} Jane Doe">` }),
  (r) => ({
    body: `<p class="byline">By <a rel="author" href="${pick(r, ATTRIBUTE_SCRIPT_URLS)}" onclick="x()">Jane <b onmouseover=alert(1)>Doe</b></a></p>`,
  }),
  (r) => ({ head: `<meta name="dc.creator" content="${escapeAttribute(pick(r, MARKUP))}">` }),
  (r) => ({ head: `<meta property="article:section" content="${escapeAttribute(pick(r, MARKUP))}">` }),
  (r) => ({
    head: `<meta property="article:tag" content="${escapeAttribute(pick(r, MARKUP))}"><meta name="keywords" content="a,<b>b</b>,<script>c</script>">`,
  }),
  (r) => ({ head: `<meta name="description" content="${escapeAttribute(pick(r, MARKUP))} dek">` }),
  (r) => ({ head: `<link rel="canonical" href="${pick(r, ATTRIBUTE_SCRIPT_URLS)}">` }),
  (r) => ({ head: `<meta property="og:url" content="${pick(r, ATTRIBUTE_SCRIPT_URLS)}">` }),
  (r) => ({ head: `<meta property="og:image" content="${pick(r, ATTRIBUTE_SCRIPT_URLS)}">` }),
  (r) => ({ head: `<meta property="og:site_name" content="${escapeAttribute(pick(r, MARKUP))}">` }),
  (r) => ({ head: `<base href="${pick(r, ["javascript:alert(1)//", "data:text/html,", "vbscript:x/"])}">` }),
  (r) => ({
    body: `<img src="${pick(r, ATTRIBUTE_SCRIPT_URLS)}" alt="${escapeAttribute(pick(r, MARKUP))}">`,
  }),
  (r) => ({
    body: `<img srcset="${pick(r, ATTRIBUTE_SCRIPT_URLS)} 2x, /ok.jpg 1x" data-src="${pick(r, ATTRIBUTE_SCRIPT_URLS)}">`,
  }),
  (r) => ({
    body: `<figure><img src="/i/photo-123456.jpg" alt="&lt;svg onload=alert(1)&gt;"><figcaption>Caption ${pick(r, MARKUP)} <span class="credit">Photo: <b onmouseover=x>AFP</b></span></figcaption></figure>`,
  }),
  (r) => ({ body: `<p>Original URL: ${pick(r, SCRIPT_URLS)}</p>` }),
  () => ({ body: '<p>Original URL: <a href="javascript:alert(1)">https://www.example.com/story</a></p>' }),
  () => ({
    body: '<a href="javascript:alert(1)" onclick="alert(2)">click</a><svg onload=alert(3)><use href="javascript:x"/></svg>',
  }),
  () => ({
    body: '<iframe src="javascript:alert(1)"></iframe><object data="javascript:x"></object><embed src="data:text/html,x">',
  }),
  () => ({ body: '<form action="javascript:alert(1)"><button formaction="javascript:x">b</button></form>' }),
];

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const hostileMeta: Mutator = {
  name: "hostile-meta",
  family: "plain",
  weight: 1880,
  mutate(html, { random }) {
    let out = html;
    const count = randomInt(random, 1, 6);
    const used: number[] = [];
    for (let i = 0; i < count; i++) {
      const index = randomIndex(random, HOSTILE_META.length);
      used.push(index);
      const fragment = HOSTILE_META[index]?.(random) ?? {};
      if (fragment.head) out = injectIntoHead(out, fragment.head);
      if (fragment.body) out = injectIntoBody(out, fragment.body, random);
    }
    return { html: out, variant: `${count} fragment${count === 1 ? "" : "s"}` };
  },
};

/**
 * Characters a text field's cleaning removes, placed where they hide a tag from a pattern that
 * looks for `<` followed by a letter: `<\u001fimg …>` is not a tag until the control is dropped.
 */
const HIDING_CHARACTERS = ["\u0001", "\u0008", "\u001f", "\u007f", "\u0085", "\u200b", "\ufeff"] as const;

const obfuscatedMarkup: Mutator = {
  name: "obfuscated-markup",
  family: "plain",
  weight: 250,
  mutate(html, { random }) {
    const hidden = pick(random, HIDING_CHARACTERS);
    const reference = `&#${hidden.codePointAt(0)};`;
    const tag = pick(random, [
      `<${reference}img src=x onerror=alert(1)>`,
      `<${reference}b onmouseover=alert(1)>bold</b>`,
      `<i${reference}mg src=x onerror=alert(1)>`,
      `<${reference}/title><${reference}script>alert(1)<${reference}/script>`,
      `<${reference}svg onload=alert(1)>`,
      `<${reference}!-- comment`,
    ]);
    const escaped = escapeAttribute(tag).replace(/&amp;#/g, "&#");
    const place = pick(random, [
      "title",
      "og:title",
      "author",
      "description",
      "section",
      "json-ld",
      "caption",
    ] as const);
    const fragments = {
      title: { head: `<title>Dam ${escaped} opens</title>` },
      "og:title": { head: `<meta property="og:title" content="Dam ${escaped} opens">` },
      author: { head: `<meta name="author" content="Jane ${escaped} Doe">` },
      description: { head: `<meta name="description" content="Dek ${escaped} words">` },
      section: { head: `<meta property="article:section" content="World ${escaped}">` },
      "json-ld": {
        head: jsonLdScript(
          JSON.stringify({
            "@type": "NewsArticle",
            headline: `Dam ${tag.replaceAll(reference, hidden)} opens`,
            author: { name: `Jane ${tag.replaceAll(reference, hidden)}` },
          }),
        ),
      },
      caption: {
        body: `<figure><img src="/i/photo-654321.jpg"><figcaption>Caption ${escaped}</figcaption></figure>`,
      },
    } satisfies Record<typeof place, { head?: string; body?: string }>;
    const fragment: { head?: string; body?: string } = fragments[place];
    let out = html;
    if (fragment.head) out = injectIntoHead(out, fragment.head);
    if (fragment.body) out = injectIntoBody(out, fragment.body, random);
    return { html: out, variant: `${place} U+${(hidden.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}` };
  },
};

// ---------------------------------------------------------------------------------------------
// The set

/** Every mutator, plain damage first. */
export const MUTATORS: readonly Mutator[] = [
  truncate,
  byteFlip,
  tagSoup,
  hostileMeta,
  hostileJsonLd,
  obfuscatedMarkup,
  deepNesting,
  hugeText,
  entityFlood,
  manyElements,
  unclosedFlood,
  jsonLdBomb,
];

export function mutatorNamed(name: string): Mutator | undefined {
  return MUTATORS.find((mutator) => mutator.name === name);
}

/** One of `mutators`, drawn in proportion to their weights. */
export function pickMutator(random: Random, mutators: readonly Mutator[]): Mutator {
  let draw = random() * mutators.reduce((sum, mutator) => sum + mutator.weight, 0);
  for (const mutator of mutators) {
    draw -= mutator.weight;
    if (draw < 0) return mutator;
  }
  return pick(random, mutators);
}

/**
 * The generator of case `index` of a run seeded with `seed`: each case has its own stream, so case
 * 7,341 is rebuilt without replaying the 7,340 before it.
 */
export function caseRandom(seed: number, index: number): Random {
  const mixed = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  return seededRandom(mixed >>> 0);
}

/**
 * Concrete fragments of tag soup, markup, unclosed constructs, hostile metadata and hostile JSON-LD:
 * the alphabet the property test builds small pages from (fast-check shrinks a failing page to the
 * few fragments that matter).
 */
export function soupFragments(): string[] {
  const fragments = new Set<string>([...SOUP_INSERTS, ...MARKUP, ...UNCLOSED]);
  for (const mutator of [hostileMeta, hostileJsonLd]) {
    for (let seed = 0; seed < 40; seed++) {
      fragments.add(mutator.mutate("", { random: seededRandom(seed), scale: 1 }).html);
    }
  }
  return [...fragments].sort();
}
