import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articleIdFor } from "../../src/domain/url.js";
import { BROWSER_TEST_MS, launchTestBrowser, type TestBrowser } from "../support/chromium.js";
import { fillerText, makeRecord } from "../support/records.js";
import { startTestApi, type TestApi, WRITE_TOKEN } from "./support.js";

/** The reader page in a real headless Chromium (Debian's, driven by playwright-core). */
const ORIGIN = "https://www.wsj.com/world/kursk-offensive";
const SYNDICATED = "https://www.theaustralian.com.au/world/kursk-offensive";
const AGGREGATOR = "https://newsbite.example/kursk";
const HOSTILE_TITLE = `<img src=x onerror="window.__pwned=1">Hostile & title`;

let api: TestApi;
let base: string;
let browser: TestBrowser;
let context: BrowserContext;
let page: Page;

async function storyId(): Promise<string> {
  const article = await api.store.getArticle(articleIdFor(ORIGIN));
  if (!article) throw new Error("origin not stored");
  return article.storyId;
}

beforeAll(async () => {
  api = await startTestApi();
  const body = fillerText(42);
  await api.store.upsertArticle(
    makeRecord(ORIGIN, {
      title: "Ukraine presses Kursk offensive",
      standfirst: "Kyiv's forces push deeper into Russian territory.",
      byline: "By Jane Doe and Ivan Petrov",
      authors: ["Jane Doe", "Ivan Petrov"],
      publisher: "The Wall Street Journal",
      body,
      images: [
        {
          url: "https://images.example/kursk.jpg",
          caption: "Troops near Sudzha.",
          credit: "AFP",
          alt: "Troops",
          isLead: true,
        },
      ],
      provenance: [{ role: "origin", name: "The Wall Street Journal", url: ORIGIN, evidence: ["canonical"] }],
    }),
  );
  await api.store.upsertArticle(
    makeRecord(AGGREGATOR, {
      title: "Kursk offensive, via NewsBite",
      publisher: "NewsBite",
      body: body.slice(0, 200),
      paywall: { accessibleForFree: null, truncated: true },
      fetchedAt: "2024-05-01T10:00:00.000Z",
      provenance: [
        { role: "origin", name: "The Wall Street Journal", url: ORIGIN, evidence: ["original-url-line"] },
        { role: "syndicator", name: "The Australian", url: SYNDICATED, evidence: ["credit-line"] },
        { role: "aggregator", name: "NewsBite", url: AGGREGATOR, evidence: ["canonical"] },
      ],
    }),
  );
  await api.store.upsertArticle(
    makeRecord("https://hostile.example/x", { title: HOSTILE_TITLE, body: fillerText(7) }),
  );

  base = await api.app.listen({ host: "127.0.0.1", port: 0 });
  browser = await launchTestBrowser();
  context = browser.context;
  page = browser.page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe("reader page", { timeout: BROWSER_TEST_MS }, () => {
  it("lists stored stories, escaping what they say", async () => {
    await page.goto(`${base}/`);
    await page.locator(`.stories a[href="#/stories/${await storyId()}"]`).waitFor();
    // One entry per story: the aggregator copy joins the WSJ story instead of being listed again.
    expect(await page.locator(".stories li").count()).toBe(2);
    await page.getByRole("link", { name: HOSTILE_TITLE }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator(".stories img").count()).toBe(0);
  });

  it("navigates to a story: title, standfirst, byline, dates, lead image, provenance, revisions", async () => {
    await page.locator(`.stories a[href="#/stories/${await storyId()}"]`).click();
    const article = page.locator("article");
    await article.locator("h1").waitFor();
    expect(await article.locator("h1").textContent()).toBe("Ukraine presses Kursk offensive");
    expect(await article.locator(".standfirst").textContent()).toBe(
      "Kyiv's forces push deeper into Russian territory.",
    );
    expect(await article.locator(".byline").textContent()).toBe("By Jane Doe and Ivan Petrov");
    expect(await article.locator(".dates").textContent()).toMatch(/Published .+Stored revision 1/);
    expect(await article.locator("figure img").getAttribute("src")).toBe("https://images.example/kursk.jpg");
    expect(await article.locator("figcaption").textContent()).toBe("Troops near Sudzha. Credit: AFP");
    expect(await article.locator(".revisions li").count()).toBe(1);
    const sources = await article.locator(".sources tr").allTextContents();
    expect(sources.join("\n")).toMatch(/aggregator/);

    // The aggregator's copy carries the whole chain: origin → syndicator → aggregator.
    await article.locator(".sources a", { hasText: "NewsBite" }).click();
    await page.waitForFunction(
      (id) => document.querySelector("article")?.getAttribute("data-article-id") === id,
      articleIdFor(AGGREGATOR),
    );
    const chain = await page
      .locator(".chain li")
      .evaluateAll((items) => items.map((item) => item.getAttribute("data-role")));
    expect(chain).toEqual(["origin", "syndicator", "aggregator"]);
  });

  it("submits a re-fetch and shows it complete", async () => {
    await page.fill("#refetch input[name=url]", "https://example-news.com/breaking");
    await page.fill("#refetch input[name=token]", WRITE_TOKEN);
    await page.click("#refetch button[type=submit]");
    await page.locator("#refetch-status[data-state=completed]").waitFor({ timeout: 10_000 });
    expect(await page.locator("#refetch-status").textContent()).toMatch(/Done \(created\)/);
    await page.locator("#refetch-status a").click();
    await page.waitForFunction(
      (id) => document.querySelector("article")?.getAttribute("data-article-id") === id,
      articleIdFor("https://example-news.com/breaking"),
    );
    expect(await page.locator("article h1").textContent()).toBe("Title of https://example-news.com/breaking");
  });

  it("shows why a re-fetch failed", async () => {
    await page.fill("#refetch input[name=url]", "https://example-news.com/fail");
    await page.click("#refetch button[type=submit]");
    await page.locator("#refetch-status[data-state=failed]").waitFor({ timeout: 10_000 });
    expect(await page.locator("#refetch-status").textContent()).toContain("FETCH_HTTP_PERMANENT");
  });

  it("ran without script errors or CSP violations", () => {
    expect(browser.errors).toEqual([]);
  });
});

describe("reader page with reads behind a token", { timeout: BROWSER_TEST_MS }, () => {
  it("says so, then loads once the token is entered", async () => {
    const guarded = await startTestApi({ COPYDESK_API_AUTH_READS: "true" });
    try {
      await guarded.store.upsertArticle(
        makeRecord("https://example-news.com/guarded", { body: fillerText(9) }),
      );
      const address = await guarded.app.listen({ host: "127.0.0.1", port: 0 });
      const tab = await context.newPage();
      await tab.goto(`${address}/`);
      await tab.locator("#view .error").waitFor();
      expect(await tab.locator("#view .error").textContent()).toMatch(/reads need an API token/);
      await tab.fill("#refetch input[name=token]", WRITE_TOKEN);
      await tab.press("#refetch input[name=token]", "Tab");
      await tab.getByRole("link", { name: "Title of https://example-news.com/guarded" }).waitFor();
      await tab.close();
    } finally {
      await guarded.close();
    }
  });
});
