import type { SiteRule } from "./types.js";

/** The Australian (News Corp Australia): stories keyed by data-testid; subscriber stories end in a paywall prompt. */
export const theAustralian2025: SiteRule = {
  hosts: ["theaustralian.com.au"],
  validFrom: "2025-01-01",
  publisher: "The Australian",
  role: "syndicator",
  fields: {
    title: { selectors: ["[data-testid=story-headline]", "h1.story__headline"] },
    standfirst: { selectors: ["[data-testid=story-standfirst]", ".story__standfirst"] },
    byline: { selectors: ["[data-testid=byline] .byline__names", ".byline__names"] },
    publishedAt: {
      selectors: ["[data-testid=date-published]", "time.story__date-published"],
      attribute: "datetime",
    },
    modifiedAt: { selectors: ["time.story__date-updated"], attribute: "datetime" },
  },
  body: ["[data-testid=story-body]", "#story-body"],
  clean: [
    "[data-testid=comments-teaser]",
    "[data-testid=related-stories]",
    "[data-testid=outbrain]",
    ".story__tools",
  ],
  paywallMarkers: ["[data-testid=paywall-prompt]", ".paywall-prompt"],
};
