import { describe, expect, it } from "vitest";
import { parsePage } from "../../src/parsers/parse-page.js";
import { originalOfAggregatorCopy } from "../../src/queue/article-processor.js";

const FETCHED = "2025-03-11T06:00:00.000Z";
const story = Array.from(
  { length: 8 },
  (_, i) => `<p>Paragraph ${i} of the copied story is long enough to read as prose.</p>`,
).join("");

function record(url: string, extra = "") {
  return parsePage({
    url,
    fetchedAt: FETCHED,
    html: `<html><head><title>Dam opens | Mirror Daily</title><meta property="og:site_name" content="Example Times"></head>
      <body><article><h1>Dam opens</h1>${story}${extra}</article></body></html>`,
  });
}

describe("which original an aggregator copy's job follows", () => {
  it("the Original URL line of a copy on any host, not only a host with a site rule", () => {
    const original = "https://www.example-times.com/news/dam-opens";
    const copy = record("https://reader.example-mirror.net/item/77", `<p>Original URL: ${original}</p>`);
    expect(copy.provenance.at(-1)?.role).toBe("aggregator");
    expect(originalOfAggregatorCopy(copy)).toBe(original);
  });

  it("the copy a mirrored path names (https://<mirror>/<host>/<path>)", () => {
    const copy = record("https://reader.example-mirror.net/www.example-times.com/news/dam-opens");
    expect(originalOfAggregatorCopy(copy)).toBe("https://www.example-times.com/news/dam-opens");
    // The mirror copied the syndicator's og:site_name: that names the upstream, not the mirror.
    expect(copy.provenance.map((p) => [p.role, p.name])).toEqual([
      ["origin", "Example Times"],
      ["aggregator", "Mirror Daily"],
    ]);
    expect(copy.publisher).toBe("Mirror Daily");
  });

  it("nothing for a page that is no aggregator copy", () => {
    const copy = record("https://www.example-herald.com/news/dam-opens", "");
    expect(originalOfAggregatorCopy(copy)).toBeNull();
  });
});
