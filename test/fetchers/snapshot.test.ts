import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import type { FetchedPage } from "../../src/domain/page.js";
import { pageFromSnapshot, snapshotFromPage } from "../../src/fetchers/snapshot.js";

describe("snapshots", () => {
  it("round-trips a page through a gzipped snapshot", () => {
    const html = "<html><body><p>Café “quoted”</p></body></html>";
    const raw = iconv.encode(html, "windows-1252");
    const page: FetchedPage = {
      requestedUrl: "https://example.com/story?utm_source=x",
      finalUrl: "https://www.example.com/story",
      redirects: ["https://www.example.com/story"],
      status: 200,
      headers: { "content-type": "text/html; charset=windows-1252", etag: '"abc"' },
      html,
      charset: "windows-1252",
      contentType: "text/html",
      etag: '"abc"',
      lastModified: null,
      fetchedAt: "2025-01-02T03:04:05.000Z",
      bytes: raw.byteLength,
      elapsedMs: 12,
      raw,
    };
    const snapshot = snapshotFromPage(page);
    expect(snapshot.url).toBe("https://example.com/story");
    expect(snapshot.bodyGzip[0]).toBe(0x1f);
    const back = pageFromSnapshot(snapshot);
    expect(back).toEqual({ ...page, elapsedMs: 0 });
  });
});
