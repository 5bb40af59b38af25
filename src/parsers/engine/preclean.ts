/**
 * String-level cleaning before jsdom builds its DOM. Scripts, styles, SVG, templates, iframes
 * and comments are most of a news page's bytes and none of its story; dropping them first makes
 * jsdom faster and sidesteps its CSS parser (it throws on uncompiled SCSS in a <style>). The
 * array tree applies the same rules as it is built (tree/build.ts), without this extra pass.
 *
 * Raw-text elements cannot contain their own end tag, so the first end tag after the start is
 * exactly where an HTML tokenizer ends them. The scan is linear on any input: each search starts
 * where the last one ended, and an end tag known to be absent from some point on is not searched
 * for again (an unclosed construct is left to the DOM, as a tokenizer would read it).
 */
/** Elements never part of the story (a <noscript> holding an image is kept, by both cleaners). */
export const DROPPED_ELEMENTS = ["script", "style", "template", "svg", "iframe", "object", "embed"] as const;
/** An inline style that hides its element: kept as a `hidden` attribute, by both cleaners. */
export const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;

const DROPPABLE_START = new RegExp(
  `<!--|<(${[...DROPPED_ELEMENTS, "noscript"].join("|")})\\b([^>]{0,2000})>`,
  "gi",
);

const LD_JSON_TYPE = /\btype\s*=\s*["']?application\/ld\+json/i;
/** Bounded, so an unclosed quote cannot make every later attribute rescan the page. */
const STYLE_ATTR = /\sstyle\s*=\s*("[^"]{0,4000}"|'[^']{0,4000}')/gi;

export function precleanHtml(html: string): string {
  const kept: string[] = [];
  let copiedTo = 0;
  const endFinders = new Map<string, RegExp>();
  const absentFrom = new Map<string, number>();
  DROPPABLE_START.lastIndex = 0;
  for (let start = DROPPABLE_START.exec(html); start; start = DROPPABLE_START.exec(html)) {
    const name = start[1]?.toLowerCase() ?? "--";
    const contentFrom = start.index + start[0].length;
    const endAt = findEnd(html, name, contentFrom, endFinders, absentFrom);
    if (endAt === null) {
      DROPPABLE_START.lastIndex = start.index + 1;
      continue;
    }
    const inner = html.slice(contentFrom, endAt.from);
    // JSON-LD carries the page's own metadata; <noscript><img> is how lazy-loading pages give
    // the real image to non-JS readers: both stay.
    const keep =
      (name === "script" && LD_JSON_TYPE.test(start[2] ?? "")) ||
      (name === "noscript" && /<img\b/i.test(inner));
    if (!keep) {
      kept.push(html.slice(copiedTo, start.index));
      copiedTo = endAt.to;
    }
    DROPPABLE_START.lastIndex = endAt.to;
  }
  kept.push(html.slice(copiedTo));
  // Inline styles only matter when they hide an element: keep that fact as a `hidden` attribute.
  return kept
    .join("")
    .replace(STYLE_ATTR, (_match, value: string) => (HIDDEN_STYLE.test(value) ? " hidden" : ""));
}

/** Where a comment or raw-text element that starts before `from` ends, or null when it does not. */
function findEnd(
  html: string,
  name: string,
  from: number,
  finders: Map<string, RegExp>,
  absentFrom: Map<string, number>,
): { from: number; to: number } | null {
  const absent = absentFrom.get(name);
  if (absent !== undefined && from >= absent) return null;
  let finder = finders.get(name);
  if (!finder) {
    finder = name === "--" ? /-->/g : new RegExp(`</${name}\\s*>`, "gi");
    finders.set(name, finder);
  }
  finder.lastIndex = from;
  const end = finder.exec(html);
  if (!end) {
    absentFrom.set(name, from);
    return null;
  }
  return { from: end.index, to: end.index + end[0].length };
}
