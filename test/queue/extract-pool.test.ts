import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createExtractPool, defaultExtractWorkerUrl, execArgvFor } from "../../src/queue/extract-pool.js";

const pool = createExtractPool({ threads: 2 });

afterAll(async () => {
  await pool.close();
});

describe("extraction pool", () => {
  it("runs parsePage from the .ts worker in worker threads (tsx loader in each thread)", async () => {
    expect(defaultExtractWorkerUrl().pathname).toMatch(/extract-worker\.ts$/);
    expect(execArgvFor(defaultExtractWorkerUrl())[0]).toBe("--import");
    const html = readFileSync("fixtures/sites/newsbite.com.au/wsj-kursk-aggregator/source.html", "utf8");
    const url =
      "https://www.newsbite.com.au/www.theaustralian.com.au/business/the-wall-street-journal/russia-pushes-ukrainian-forces-back-in-kursk-after-us-halts-support/news-story/4ec9bc94b11b5156788c282fbc3901de";
    const records = await Promise.all(
      [1, 2, 3].map(() => pool.extract({ html, url, fetchedAt: "2025-03-11T06:00:00.000Z" })),
    );
    for (const record of records) {
      expect(record.title).toMatch(/Kursk/);
      expect(record.url).toBe(url);
    }
  });

  it("turns an extraction error in the thread back into a CopydeskError", async () => {
    await expect(
      pool.extract({
        html: 42 as unknown as string,
        url: "https://a.example/",
        fetchedAt: "2025-01-01T00:00:00.000Z",
      }),
    ).rejects.toMatchObject({ code: "INPUT_INVALID" });
  });
});
