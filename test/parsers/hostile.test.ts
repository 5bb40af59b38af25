import { describe, expect, it } from "vitest";
import {
  MAX_DEPTH,
  MAX_MARKUP_CHARS,
  MAX_TAGS,
  RECORD_LIST_LIMITS,
} from "../../src/parsers/engine/limits.js";
import { precleanHtml } from "../../src/parsers/engine/preclean.js";
import { parsePage } from "../../src/parsers/parse-page.js";
import { prose } from "./stages/support.js";

const parse = (html: string, engine: "tree" | "jsdom" = "tree") =>
  parsePage({ html, url: "https://news.example.org/a/story", fetchedAt: "2025-03-11T06:00:00Z" }, { engine });

/** A distinct name-like surname for each number: "Baker", "Caker", … (names with digits are not people). */
const surname = (i: number) =>
  `${String.fromCharCode(66 + (i % 24))}${String.fromCharCode(97 + Math.floor(i / 24))}ker`;

/** Generous limits: these pages once took minutes or crashed; now each must simply end with a record. */
const HOSTILE_TIMEOUT_MS = 60_000;

describe("pages that are not well-formed still give a record", () => {
  const cases: Record<string, string> = {
    "text before <body>": `<!DOCTYPE html><html><head><title>T</title></head>stray text<body>${prose(10)}</body></html>`,
    "paragraphs left in <head>, no <body>": `<!DOCTYPE html><html><head><title>T</title>${prose(10)}</head></html>`,
    "a frameset": `<!DOCTYPE html><html><head><title>Frames</title></head><frameset><frame src="a.html"></frameset></html>`,
    "a truncated root tag": `<!DOCTYPE html><html `,
    "a truncated head": `<!DOCTYPE html><html lang="en"><head><title>x</ti`,
    "NUL bytes": `<!DOCTYPE html><html><body>\u0000${prose(6)}\u0000</body></html>`,
    "lone surrogates (invalid UTF-16 from a bad decode)": `<html><body>${prose(6)}<p>\ud800 broken \udfff</p></body></html>`,
    "nothing at all": "",
  };
  for (const engine of ["tree", "jsdom"] as const) {
    for (const [kind, html] of Object.entries(cases)) {
      it(`${kind} (${engine})`, () => {
        const record = parse(html, engine);
        expect(record.url).toBe("https://news.example.org/a/story");
        if (html.includes("Paragraph 5")) expect(record.body.text).toContain("Paragraph 5 of the story");
      });
    }
  }
});

describe("hostile pages end in bounded work, with a warning when a cap cut them", () => {
  it(
    "elements nested far deeper than any real page are read as text",
    () => {
      const depth = 20_000;
      const record = parse(
        `<html><body>${"<div>".repeat(depth)}${prose(6)}${"</div>".repeat(depth)}</body></html>`,
      );
      expect(record.warnings).toContain(
        `markup nested deeper than ${MAX_DEPTH} levels was read as plain text`,
      );
      expect(record.body.text).toContain("Paragraph 5 of the story");
    },
    HOSTILE_TIMEOUT_MS,
  );

  it(
    "JSON-LD nested 50,000 arrays deep is skipped, not recursed into",
    () => {
      const deep = `${"[".repeat(50_000)}{"@type":"NewsArticle","headline":"Deep"}${"]".repeat(50_000)}`;
      const record = parse(
        `<html><head><script type="application/ld+json">${deep}</script></head><body><h1>Shallow</h1>${prose(6)}</body></html>`,
      );
      expect(record.title).not.toBe("Deep");
      expect(record.wordCount).toBeGreaterThan(50);
    },
    HOSTILE_TIMEOUT_MS,
  );

  it(
    "a page over the markup or tag cap is cut, and says so",
    () => {
      const long = parse(
        `<html><body>${prose(6)}<p>${"word ".repeat(MAX_MARKUP_CHARS / 5 + 1000)}</p></body></html>`,
      );
      expect(long.warnings.some((w) => w.startsWith(`page cut at ${MAX_MARKUP_CHARS} characters`))).toBe(
        true,
      );
      const many = parse(
        `<html><body>${prose(6)}${"<span>x</span>".repeat(MAX_TAGS / 2 + 10)}</body></html>`,
      );
      expect(many.warnings).toContain(`page cut at ${MAX_TAGS} tags`);
      expect(many.body.text).toContain("Paragraph 5 of the story");
    },
    HOSTILE_TIMEOUT_MS,
  );

  it(
    "a page with thousands of images, tag metas and authors keeps the first of each, and says so",
    () => {
      const { images, tags, authors } = RECORD_LIST_LIMITS;
      const metas = Array.from(
        { length: tags + 50 },
        (_, i) => `<meta property="article:tag" content="tag ${i}">`,
      );
      const people = Array.from({ length: authors + 5 }, (_, i) => ({
        "@type": "Person",
        name: `Jane ${surname(i)}`,
      }));
      const jsonLd = JSON.stringify({ "@type": "NewsArticle", headline: "Gallery", author: people });
      const pictures = Array.from({ length: images + 20 }, (_, i) => `<img src="/p/${i}.jpg" alt="">`).join(
        "",
      );
      const record = parse(
        `<html><head>${metas.join("")}<script type="application/ld+json">${jsonLd}</script></head>` +
          `<body><article>${prose(6)}<p>${pictures}</p></article></body></html>`,
      );
      expect(record.tags).toHaveLength(tags);
      expect(record.tags[0]).toBe("tag 0");
      expect(record.authors).toHaveLength(authors);
      expect(record.images).toHaveLength(images);
      for (const [name, limit] of Object.entries(RECORD_LIST_LIMITS)) {
        expect(
          record.warnings.some((w) => w.startsWith(`${name} cut at ${limit}`)),
          name,
        ).toBe(true);
      }
    },
    HOSTILE_TIMEOUT_MS,
  );

  it(
    "unclosed comments, scripts and Original URL labels by the hundred thousand",
    () => {
      for (const flood of ["<!--", "<script", "<script>", "Original URL: <"]) {
        const record = parse(`<html><body>${prose(6)}${flood.repeat(100_000)}</body></html>`);
        expect(record.body.text, flood).toContain("Paragraph 5 of the story");
      }
    },
    HOSTILE_TIMEOUT_MS,
  );
});

describe("precleanHtml", () => {
  it("drops comments and raw-text elements up to their first end tag, keeps JSON-LD and noscript images", () => {
    const html = `a<!-- c -->b<SCRIPT src=x>if (a</b) {}</script >c<style>p{}</style>d<script type="application/ld+json">{}</script><noscript><img src=i.jpg></noscript><noscript>js please</noscript>e`;
    expect(precleanHtml(html)).toBe(
      `abcd<script type="application/ld+json">{}</script><noscript><img src=i.jpg></noscript>e`,
    );
  });

  it("leaves an unclosed construct to the DOM and still cleans what follows", () => {
    expect(precleanHtml("<p>x</p><!-- open <script>y</script>z")).toBe("<p>x</p><!-- open z");
    expect(precleanHtml(`<embed src=a.swf><p style="display:none">h</p><p style="color:red">v</p>`)).toBe(
      "<embed src=a.swf><p hidden>h</p><p>v</p>",
    );
  });
});

describe("text and URL fields carry no markup and no script URLs", () => {
  const spoofed = `<!DOCTYPE html><html lang="en"><head>
    <meta property="og:title" content="Dam opens &lt;img src=x onerror=alert(1)&gt;\u0007 today">
    <meta name="author" content="<b onmouseover=alert(1)>Jane Doe</b>">
    <meta property="article:section" content="<i>World</i>">
    <link rel="canonical" href="javascript:alert(1)">
    <script type="application/ld+json">{"@type":"NewsArticle","isBasedOn":"java\\tscript:alert(2)","keywords":["<b>x</b>energy"]}</script>
    </head><body><article>
    <figure><img src="/i/dam-123456.jpg"><figcaption>The dam <a href="javascript:alert(3)" onclick="x()">at dawn</a>.</figcaption></figure>
    <img src="java&#9;script:alert(4)">
    ${prose(8)}
    <p>Original URL: javascript:alert(5)</p>
    </article></body></html>`;

  for (const engine of ["tree", "jsdom"] as const) {
    it(`strips markup and control characters and drops script URLs, with a warning (${engine})`, () => {
      const record = parse(spoofed, engine);
      expect(record.title).toBe("Dam opens today");
      expect(record.authors).toEqual(["Jane Doe"]);
      expect(record.section).toBe("World");
      expect(record.tags).toEqual(["x energy"]);
      expect(record.url).toBe("https://news.example.org/a/story");
      const urls = [record.url, ...record.provenance.map((p) => p.url), ...record.images.map((i) => i.url)];
      for (const url of urls) if (url !== null) expect(url).toMatch(/^https?:\/\//);
      expect(record.images.map((i) => i.caption)).toEqual(["The dam at dawn."]);
      const { body, ...fields } = record;
      expect(JSON.stringify(fields)).not.toMatch(/javascript:|onerror|onmouseover|<img|<b>|\\u0007/i);
      expect(body.html).not.toMatch(/javascript:|onclick/i);
      expect(record.warnings.some((w) => /script URL/.test(w))).toBe(true);
    });
  }
});
