import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articleIdFor } from "../../src/domain/url.js";
import { BROWSER_TEST_MS, launchTestBrowser, type TestBrowser } from "../support/chromium.js";
import { type LayoutSpec, layoutProblems } from "../support/layout.js";
import {
  HOSTILE_ORIGIN,
  HOSTILE_PUBLISHER,
  LE_MONDE,
  LONG_WORDS,
  SPIEGEL,
  seedDesk,
  WSJ,
} from "./desk-seed.js";
import { startTestApi, type TestApi } from "./support.js";

/**
 * The reader page's desk in Chromium: the story list with its facts, the filters, revision diffs,
 * and the layout at a desktop and a phone width. Screenshots are kept in COPYDESK_SCREENSHOT_DIR when
 * it is set (to look at them); otherwise they go to a temp folder removed after the run.
 */
const KEEP_SHOTS = process.env.COPYDESK_SCREENSHOT_DIR;
const SHOTS = KEEP_SHOTS ?? mkdtempSync(path.join(tmpdir(), "copydesk-reader-shots-"));
const WIDTHS = [1280, 900, 390];
const WAIT = { timeout: 20_000 };

let api: TestApi;
let base: string;
let browser: TestBrowser;
let page: Page;

async function storyIdOf(url: string): Promise<string> {
  const article = await api.store.getArticle(articleIdFor(url));
  if (!article) throw new Error(`${url} not stored`);
  return article.storyId;
}

async function row(url: string) {
  const item = page.locator(`.stories > li[data-story-id="${await storyIdOf(url)}"]`);
  await item.waitFor(WAIT);
  return item;
}

async function factText(url: string, fact: string): Promise<string> {
  const text = await (await row(url)).locator(`.fact.${fact} dd`).textContent();
  return (text ?? "").replace(/\s+/g, " ").trim();
}

/** Waits until the list shows exactly these stories (by one URL of each), in any order. */
async function waitForList(urls: string[]): Promise<void> {
  const ids = (await Promise.all(urls.map(storyIdOf))).sort();
  await page.waitForFunction(
    (expected) => {
      if (document.querySelector("#results p")?.textContent === "Loading…") return false;
      const shown = [...document.querySelectorAll(".stories > li")].map((li) =>
        li.getAttribute("data-story-id"),
      );
      return JSON.stringify(shown.sort()) === JSON.stringify(expected);
    },
    ids,
    WAIT,
  );
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  api = await startTestApi();
  await seedDesk(api.store);
  base = await api.app.listen({ host: "127.0.0.1", port: 0 });
  browser = await launchTestBrowser();
  page = browser.page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  if (KEEP_SHOTS) console.info(`reader desk screenshots in ${SHOTS}`);
  else rmSync(SHOTS, { recursive: true, force: true });
});

describe("the desk's story list", { timeout: BROWSER_TEST_MS }, () => {
  it("shows each story's site, copies, origin, paywall mark and language", async () => {
    await page.goto(`${base}/`);
    await waitForList([WSJ, LE_MONDE, SPIEGEL, LONG_WORDS, "https://hostile.example/markup"]);

    expect(await factText(WSJ, "site")).toBe("The Wall Street Journal wsj.com");
    expect(await factText(WSJ, "copies")).toBe("2 copies (+1 named)");
    expect(await factText(WSJ, "origin")).toBe("The Wall Street Journal wsj.com");
    expect(await factText(WSJ, "paywall")).toBe("1 of 2 teasers");
    expect(await factText(WSJ, "language")).toBe("en");
    expect(await (await row(WSJ)).locator(".fact.origin a").getAttribute("href")).toBe(WSJ);

    expect(await factText(LE_MONDE, "site")).toBe("Le Monde lemonde.fr");
    expect(await factText(LE_MONDE, "copies")).toBe("1 copy");
    expect(await factText(LE_MONDE, "origin")).toBe("not recorded");
    expect(await factText(LE_MONDE, "paywall")).toBe("Paywalled");
    expect(await factText(LE_MONDE, "language")).toBe("fr");
    expect(await factText(SPIEGEL, "paywall")).toBe("none");
    expect(await factText(SPIEGEL, "language")).toBe("de");
  });

  it("shows what records say as text, never as markup or script links", async () => {
    const hostile = page.locator(".stories > li", { hasText: "Markup in a title" });
    expect(await hostile.locator(".fact.site dd a").textContent()).toBe(HOSTILE_PUBLISHER);
    expect(await hostile.locator(".fact.origin dd").textContent()).toBe(HOSTILE_ORIGIN);
    // The origin's javascript: URL is not made a link.
    expect(await hostile.locator(".fact.origin a").count()).toBe(0);
    expect(await page.locator(".stories img, .stories b, .stories script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it("narrows the list by language and site, from a row or the form, and keeps the search", async () => {
    await (await row(LE_MONDE)).locator(".fact.language a").click();
    await waitForList([LE_MONDE]);
    expect(new URL(page.url()).hash).toBe("#/?language=fr");
    expect(await page.inputValue("#filters input[name=language]")).toBe("fr");

    // A site any copy is on finds the story: the aggregator's copy of the WSJ story.
    await page.fill("#filters input[name=language]", "");
    await page.fill("#filters input[name=site]", "newsbite.example");
    await page.click("#filters button[type=submit]");
    await waitForList([WSJ]);

    await page.fill("#filters input[name=site]", "");
    await page.fill("#filters input[name=q]", "Haushalt");
    await page.click("#filters button[type=submit]");
    await waitForList([SPIEGEL]);
    await page.fill("#filters input[name=language]", "fr");
    await page.click("#filters button[type=submit]");
    await page.locator("#results .empty").waitFor(WAIT);
    expect(await page.locator("#results .empty").textContent()).toBe("No stories match these filters.");
    expect(await page.inputValue("#filters input[name=q]")).toBe("Haushalt");

    await page.click("#filters a[href='#/']");
    await waitForList([WSJ, LE_MONDE, SPIEGEL, LONG_WORDS, "https://hostile.example/markup"]);
    expect(
      await page
        .locator("#desk-languages option")
        .evaluateAll((options) => options.map((o) => o.getAttribute("value"))),
    ).toEqual(["de", "en", "en-AU", "fr"]);
  });
});

describe("the desk's story view", { timeout: BROWSER_TEST_MS }, () => {
  it("shows a revision's inserted and removed text", async () => {
    await page.goto(`${base}/#/stories/${await storyIdOf(SPIEGEL)}`);
    const second = page.locator(".revisions > li[data-revision='2']");
    await second.waitFor(WAIT);
    expect(await page.locator(".revisions > li").count()).toBe(2);
    expect(await page.locator(".revisions > li[data-revision='1'] .change").count()).toBe(0);
    const field = (name: string) => second.locator(`.change[data-field=${name}] .diff`);
    expect(await field("title").textContent()).toBe("Koalition einigt sich spät auf Haushalt");
    expect((await field("title").locator("ins").allTextContents()).map((t) => t.trim())).toEqual(["spät"]);
    expect(await field("title").locator("del").count()).toBe(0);
    expect(await field("standfirst").locator("del").allTextContents()).toEqual(["langen"]);
    expect(await field("standfirst").locator("ins").allTextContents()).toEqual(["zähen"]);
    expect(await field("body").locator("del").allTextContents()).toEqual([
      "Milliarden",
      "Ein Sprecher nannte die Einigung einen Durchbruch.",
    ]);
    expect(await field("body").locator("ins").allTextContents()).toEqual([
      "Millionen",
      "Die Opposition kritisiert den Entwurf.",
    ]);
  });

  it("marks a paywall teaser and names the language of the copy shown", async () => {
    await page.goto(`${base}/#/stories/${await storyIdOf(LE_MONDE)}`);
    await page.locator(`article[data-article-id="${articleIdFor(LE_MONDE)}"]`).waitFor(WAIT);
    const line = await page.locator("article .facts-line").textContent();
    expect(line).toMatch(/^Le Monde · lemonde\.fr · fr · Paywall teaser · original$/);
  });
});

const LIST_LAYOUT: LayoutSpec = {
  fit: [
    "header",
    "main",
    "#view",
    "aside",
    "#filters label",
    "#filters input",
    ".stories > li",
    ".facts",
    ".fact",
    ".fact dd",
    ".summary",
    "h1",
  ],
  apart: ["header", "main", "#filters", ".stories", ".stories > li", ".facts", ".fact"],
  contain: ["header", "#filters", ".stories > li", ".fact", "#refetch"],
};

const STORY_LAYOUT: LayoutSpec = {
  fit: [
    "main",
    "#view",
    "article",
    "article h1",
    ".standfirst",
    ".meta",
    ".chain",
    ".sources",
    ".revisions > li",
    ".change",
    ".diff",
    ".body p",
  ],
  apart: ["main", "article", ".chain", ".sources", ".sources tr", ".revisions", ".revisions > li", ".change"],
  contain: ["article h1", ".meta", ".chain li", ".sources td", ".diff", ".body p"],
};

describe.each(WIDTHS)("layout at %i px", (width) => {
  it("draws the list with no overlapping boxes and no cut text", async () => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${base}/`);
    await waitForList([WSJ, LE_MONDE, SPIEGEL, LONG_WORDS, "https://hostile.example/markup"]);
    await page.screenshot({ path: path.join(SHOTS, `list-${width}.png`), fullPage: true });
    expect(await layoutProblems(page, LIST_LAYOUT)).toEqual([]);
  });

  it("draws a story with its diffs with no overlapping boxes and no cut text", async () => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${base}/#/stories/${await storyIdOf(SPIEGEL)}`);
    await page.locator(".revisions > li[data-revision='2'] .diff").first().waitFor(WAIT);
    await page.screenshot({ path: path.join(SHOTS, `story-${width}.png`), fullPage: true });
    expect(await layoutProblems(page, STORY_LAYOUT)).toEqual([]);

    await page.goto(`${base}/#/stories/${await storyIdOf(LONG_WORDS)}`);
    await page.locator(`article[data-article-id="${articleIdFor(LONG_WORDS)}"]`).waitFor(WAIT);
    await page.screenshot({ path: path.join(SHOTS, `story-long-words-${width}.png`), fullPage: true });
    expect(await layoutProblems(page, STORY_LAYOUT)).toEqual([]);
  });
});

describe("the page", { timeout: BROWSER_TEST_MS }, () => {
  it("ran without script errors or CSP violations", () => {
    expect(browser.errors).toEqual([]);
  });
});
