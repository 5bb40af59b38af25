import { publisherForCredit } from "../generic/publishers.js";
import { removeWithEmptyWrappers } from "./noise.js";
import { inlineText } from "./text.js";

/** Head and foot lines looked at, alternately from the end and from the start. */
const LINES_LOOKED_AT = 4;

/**
 * Credit lines at the head or foot of a body ("The Wall Street Journal"): provenance, not story.
 * Removed from the body and returned in reading order.
 */
export function removeCreditLines(content: Element): string[] {
  const credits: string[] = [];
  for (let i = 0; i < LINES_LOOKED_AT; i++) {
    const blocks = Array.from(content.querySelectorAll("p, div, span, em, strong, h5, h6")).filter(
      (b) => inlineText(b) && !b.querySelector("p, div"),
    );
    const fromEnd = i % 2 === 0;
    const line = fromEnd ? blocks[blocks.length - 1] : blocks[0];
    if (!line) break;
    const text = inlineText(line);
    if (!publisherForCredit(text)) continue;
    if (fromEnd) credits.push(text);
    else credits.unshift(text);
    removeWithEmptyWrappers(line, content);
  }
  return credits;
}
