import { describe, expect, it } from "vitest";
import { detectProvenance, originalFromMirroredPath } from "../../src/parsers/generic/provenance.js";
import { newsbite2025 } from "../../src/parsers/sites/newsbite.js";

const base = { foreignCanonical: null, originalUrls: [], jsonLd: null, creditLines: [] };
const roles = (p: ReturnType<typeof detectProvenance>) =>
  p.map(({ role, name, url }) => ({ role, name, url }));

describe("detectProvenance", () => {
  it("names a page with no syndication evidence as its own origin", () => {
    const chain = detectProvenance({
      ...base,
      url: "https://example.org/a",
      publisher: "Example",
      rule: null,
    });
    expect(roles(chain)).toEqual([{ role: "origin", name: "Example", url: "https://example.org/a" }]);
  });

  it("reads origin → syndicator → aggregator from an aggregator copy", () => {
    const url = "https://www.newsbite.com.au/www.theaustralian.com.au/world/story/abc";
    const chain = detectProvenance({
      ...base,
      url,
      publisher: "NewsBite",
      rule: newsbite2025,
      originalUrls: ["https://www.theaustralian.com.au/world/story/abc"],
      creditLines: ["The Wall Street Journal"],
    });
    expect(roles(chain)).toEqual([
      { role: "origin", name: "The Wall Street Journal", url: null },
      { role: "syndicator", name: "The Australian", url: "https://www.theaustralian.com.au/world/story/abc" },
      { role: "aggregator", name: "NewsBite", url },
    ]);
    expect(chain[1]?.evidence).toEqual(["original-url-line", "url-path"]);
  });

  it("takes a canonical link to another site as the upstream copy", () => {
    const chain = detectProvenance({
      ...base,
      url: "https://news.example.net/reuters/story",
      publisher: "Example Net",
      rule: null,
      foreignCanonical: { url: "https://www.reuters.com/world/story", evidence: "canonical" },
    });
    expect(roles(chain)).toEqual([
      { role: "origin", name: "Reuters", url: "https://www.reuters.com/world/story" },
      { role: "syndicator", name: "Example Net", url: "https://news.example.net/reuters/story" },
    ]);
  });

  it("does not list the page's own publisher twice when it credits itself", () => {
    const chain = detectProvenance({
      ...base,
      url: "https://www.wsj.com/articles/x",
      publisher: "The Wall Street Journal",
      rule: null,
      creditLines: ["The Wall Street Journal"],
    });
    expect(chain.map((p) => p.role)).toEqual(["origin"]);
  });
});

describe("originalFromMirroredPath", () => {
  it("rebuilds the original URL an aggregator keeps in its path", () => {
    expect(
      originalFromMirroredPath(
        "https://www.newsbite.com.au/www.theaustralian.com.au/business/x/news-story/1",
      ),
    ).toBe("https://www.theaustralian.com.au/business/x/news-story/1");
    expect(originalFromMirroredPath("https://www.newsbite.com.au/business/x")).toBeNull();
  });
});

describe("detectProvenance without a site rule", () => {
  it("classes a copy that prints another site's Original URL as an aggregator", () => {
    const chain = detectProvenance({
      ...base,
      url: "https://mirror.example.net/copy/1",
      publisher: "Mirror",
      rule: null,
      originalUrls: ["https://www.theaustralian.com.au/story/1"],
    });
    expect(roles(chain)).toEqual([
      { role: "origin", name: "The Australian", url: "https://www.theaustralian.com.au/story/1" },
      { role: "aggregator", name: "Mirror", url: "https://mirror.example.net/copy/1" },
    ]);
  });
});
