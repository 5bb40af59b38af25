import type { SiteRule } from "./types.js";

/**
 * NewsBite mirrors other publishers' stories under its own host, keeping the original host and
 * path in its URL, and prints "Original URL:" at the foot of each copy.
 */
export const newsbite2025: SiteRule = {
  hosts: ["newsbite.com.au"],
  validFrom: "2025-01-01",
  publisher: "NewsBite",
  role: "aggregator",
  mirrorsOriginalInPath: true,
  fields: {
    title: { selectors: [".story__headline", "article h1"] },
    standfirst: { selectors: [".story__standfirst"] },
  },
  body: ["#story-body", ".story__body"],
  clean: [".inline-related", ".share-bar", ".story-comments", ".lead-image__overlay", ".ad-slot"],
};
