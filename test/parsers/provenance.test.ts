import { describe, expect, it } from "vitest";
import type { PageCredits } from "../../src/parsers/engine/credit-lines.js";
import { detectProvenance, originalFromMirroredPath } from "../../src/parsers/generic/provenance.js";
import { newsbite2025 } from "../../src/parsers/sites/newsbite.js";
import { jsonLdArticle } from "./stages/support.js";

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

const page = (overrides: Partial<PageCredits> = {}): PageCredits => ({
  lines: [],
  mastheads: [],
  microdataPublishers: [],
  bylineOutlets: [],
  siteName: null,
  documentTitle: null,
  ...overrides,
});

describe("detectProvenance from evidence", () => {
  const syndicated =
    "https://www.theaustralian.com.au/business/the-wall-street-journal/kursk-advance/news-story/4ec9";

  it("a mirror on any host: the partner from the URL section and a source line, the syndicator from the copied metadata, the mirror from its masthead", () => {
    const url = `https://feeds.example-mirror.net/${syndicated.slice("https://".length)}`;
    const chain = detectProvenance({
      ...base,
      url,
      // The mirror copied the syndicator's og:site_name and JSON-LD.
      publisher: "The Australian",
      rule: null,
      originalUrls: [syndicated],
      jsonLd: jsonLdArticle({ publisher: "The Australian" }),
      page: page({
        siteName: "The Australian",
        mastheads: ["Mirror Daily"],
        lines: ["The Wall Street Journal", "Add your comment to this story"],
      }),
    });
    expect(chain).toEqual([
      { role: "origin", name: "The Wall Street Journal", url: null, evidence: ["url-section", "name-line"] },
      {
        role: "syndicator",
        name: "The Australian",
        url: syndicated,
        evidence: ["original-url-line", "url-path", "og:site_name", "json-ld:publisher"],
      },
      { role: "aggregator", name: "Mirror Daily", url, evidence: ["page", "masthead"] },
    ]);
  });

  it("a mirrored path alone needs a host that looks like one", () => {
    expect(originalFromMirroredPath("https://mirror.example/index.html/2024/story")).toBeNull();
    const chain = detectProvenance({
      ...base,
      url: "https://mirror.example/www.reuters.com/world/story-1",
      publisher: null,
      rule: null,
      page: page({ documentTitle: "Story one | Mirror Example" }),
    });
    expect(roles(chain)).toEqual([
      { role: "origin", name: "Reuters", url: "https://www.reuters.com/world/story-1" },
      {
        role: "aggregator",
        name: "Mirror Example",
        url: "https://mirror.example/www.reuters.com/world/story-1",
      },
    ]);
  });

  it("a wire story on a hosting site: the wire is the origin, the host stays last under its own name", () => {
    const url = "https://www.example-gazette.com/news/dam-opens";
    const chain = detectProvenance({
      ...base,
      url,
      // The wire's JSON-LD publisher, copied onto the hosting site.
      publisher: "Associated Press",
      rule: null,
      jsonLd: jsonLdArticle({ publisher: "Associated Press", authors: ["By ANN LEE, Associated Press"] }),
      page: page({ siteName: "Example Gazette" }),
      bylines: ["Ann Lee, Associated Press"],
      bodyText: "SPRINGFIELD, Ill. (AP) — The dam opened on Tuesday.",
    });
    expect(chain).toEqual([
      {
        role: "origin",
        name: "The Associated Press",
        url: null,
        evidence: ["dateline", "byline", "json-ld:author", "json-ld:publisher"],
      },
      { role: "syndicator", name: "Example Gazette", url, evidence: ["page", "og:site_name"] },
    ]);
  });

  it("credits from a republished-from line, JSON-LD source organisations and a sign-off", () => {
    const url = "https://www.example-science.org/space/moon-map";
    const republished = detectProvenance({
      ...base,
      url,
      publisher: "Example Science",
      rule: null,
      page: page({ lines: ["This article was originally published by Futurism. Read the original."] }),
    });
    expect(roles(republished)[0]).toEqual({ role: "origin", name: "Futurism", url: null });
    const signed = detectProvenance({
      ...base,
      url,
      publisher: "Example Science",
      rule: null,
      jsonLd: jsonLdArticle({ sourceOrganizations: ["Agence France-Presse"] }),
      bodyText: "The map was drawn from radar data, officials said. — AFP",
    });
    expect(signed[0]).toMatchObject({ name: "AFP", evidence: ["sign-off", "json-ld:sourceOrganization"] });
  });

  it("invents no origin: a name in running text, a copyright holder alone, a lone declared publisher, the site's own credit", () => {
    const url = "https://www.example-herald.com/local/council-vote";
    const chain = detectProvenance({
      ...base,
      url,
      publisher: "Example Herald",
      rule: null,
      jsonLd: jsonLdArticle({ publisher: "Dow Jones Newswires" }),
      creditLines: ["Example Herald"],
      page: page({
        lines: ["© 2024 Reuters", "Example Herald staff", "AP officials said the vote was close."],
      }),
      bodyText: "The council (AP) voted. AP officials said the ap was closed.",
      bylines: ["Ann Lee, Example Herald"],
    });
    expect(roles(chain)).toEqual([{ role: "origin", name: "Example Herald", url }]);
  });

  it("two outlets credited: the better credited is the origin", () => {
    const chain = detectProvenance({
      ...base,
      url: "https://www.example-herald.com/world/x",
      publisher: "Example Herald",
      rule: null,
      page: page({ lines: ["Bloomberg"] }),
      bodyText: "LONDON (Reuters) - Markets fell.",
    });
    expect(chain[0]).toMatchObject({ name: "Reuters", evidence: ["dateline"] });
    expect(chain).toHaveLength(2);
  });
});
