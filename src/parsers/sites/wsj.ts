import type { SiteRule } from "./types.js";

/**
 * The Wall Street Journal: emotion-generated class names change with every deploy, so the rule
 * keys on data-testid and data-type attributes. The story body carries the `paywall` class
 * (JSON-LD hasPart cssSelector); a teaser shows a snippet promotion instead of the full text.
 */
export const wsj2025: SiteRule = {
  hosts: ["wsj.com"],
  validFrom: "2025-01-01",
  publisher: "The Wall Street Journal",
  role: "origin",
  fields: {
    title: { selectors: ["[data-testid=headline]", "h1"] },
    standfirst: { selectors: ["[data-testid=dek-block]"] },
    byline: { selectors: ["[data-testid=byline]"] },
    modifiedAt: { selectors: ["[data-testid=timestamp-text]"], attribute: "datetime" },
  },
  body: ["[data-testid=article-body]", "section.article-body"],
  clean: [
    "aside",
    "[data-testid=share-bar]",
    "[data-testid=print-edition]",
    "#comments-section",
    "[class*=Copyright]",
    ".author-contact",
  ],
  paywallMarkers: ["[data-testid=snippet-promotion]", "#cx-snippet-overlay", ".snippet-promotion"],
};
