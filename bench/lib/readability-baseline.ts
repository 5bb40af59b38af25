import { Readability } from "@mozilla/readability";
import { JSDOM, VirtualConsole } from "jsdom";
import type { Metadata } from "./metadata-match.js";

/**
 * The plain baseline: @mozilla/readability on jsdom exactly as its README shows it, with no
 * pre-cleaning, so copydesk is measured against what anyone gets out of the box.
 */
export interface ReadabilityResult {
  /** `textContent`, or "" when Readability finds no article. */
  text: string;
  metadata: Metadata;
  /** The language Readability reports (`lang`). */
  lang: string | null;
}

export interface ReadabilityOptions {
  /**
   * Drop jsdom's console output (CSS it cannot parse, mostly) instead of forwarding it to stderr as jsdom
   * does by default. Off for the speed benchmark, which measures jsdom as shipped.
   */
  silent?: boolean;
}

export function extractWithReadability(
  html: string,
  url: string,
  { silent = false }: ReadabilityOptions = {},
): ReadabilityResult {
  const dom = silent
    ? new JSDOM(html, { url, virtualConsole: new VirtualConsole() })
    : new JSDOM(html, { url });
  try {
    const article = new Readability(dom.window.document).parse();
    return {
      text: article?.textContent ?? "",
      metadata: {
        title: article?.title ?? null,
        byline: article?.byline ?? null,
        excerpt: article?.excerpt ?? null,
        siteName: article?.siteName ?? null,
        publishedTime: article?.publishedTime ?? null,
        lang: article?.lang ?? null,
      },
      lang: article?.lang ?? null,
    };
  } finally {
    dom.window.close();
  }
}
