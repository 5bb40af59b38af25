/**
 * Cheap string-level cleaning before any DOM is built. Scripts, styles, SVG, templates, iframes
 * and comments are most of a news page's bytes and none of its story; dropping them first makes
 * every DOM faster and sidesteps jsdom's CSS parser (it throws on uncompiled SCSS in a <style>).
 *
 * Raw-text elements cannot contain their own end tag, so a non-greedy match to the end tag is
 * exactly what an HTML tokenizer does. One alternation handles whichever construct comes first.
 */
const DROPPABLE =
  /<!--[\s\S]*?-->|<(script|style|template|svg|iframe|noscript|object|embed)\b([^>]*)>([\s\S]*?)<\/\1\s*>/gi;

const LD_JSON_TYPE = /\btype\s*=\s*["']?application\/ld\+json/i;
const STYLE_ATTR = /\sstyle\s*=\s*("[^"]*"|'[^']*')/gi;
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;

export function precleanHtml(html: string): string {
  const stripped = html.replace(DROPPABLE, (match, tag: string | undefined, attrs: string, inner: string) => {
    if (tag === undefined) return ""; // a comment
    const name = tag.toLowerCase();
    // JSON-LD carries the page's own metadata; keep it for the metadata cascade.
    if (name === "script" && LD_JSON_TYPE.test(attrs)) return match;
    // <noscript><img></noscript> is how lazy-loading pages give the real image to non-JS readers.
    if (name === "noscript" && /<img\b/i.test(inner)) return match;
    return "";
  });
  // Inline styles only matter when they hide an element: keep that fact as a `hidden` attribute.
  return stripped.replace(STYLE_ATTR, (_match, value: string) => (HIDDEN_STYLE.test(value) ? " hidden" : ""));
}
