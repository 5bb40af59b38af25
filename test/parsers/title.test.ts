import { describe, expect, it } from "vitest";
import { openDocument } from "../../src/parsers/engine/dom.js";
import { chooseTitle, readHeadlines } from "../../src/parsers/generic/headline.js";
import { isSiteName, siteNamesFrom, stripSiteAffixes } from "../../src/parsers/generic/site-names.js";
import { documentOf } from "./stages/support.js";

const names = (declared: string[], url = "https://www.example-news.com/2024/05/01/story") =>
  siteNamesFrom(declared, url);

describe("stripSiteAffixes", () => {
  it("cuts the site's name after or before the headline, whatever the separator", () => {
    const site = names(["Example News"]);
    expect(stripSiteAffixes("Rates rise again | Example News", site)).toBe("Rates rise again");
    expect(stripSiteAffixes("Rates rise again - ExampleNews.com", site)).toBe("Rates rise again");
    expect(stripSiteAffixes("Example News — Rates rise again", site)).toBe("Rates rise again");
    expect(stripSiteAffixes("Rates rise again · The Example News Blog", site)).toBe("Rates rise again");
  });

  it("knows the site by its host when the page declares no name, and by an abbreviation of it", () => {
    expect(
      stripSiteAffixes("Pier reopens – Harbour Gazette", names([], "https://harbourgazette.org/x")),
    ).toBe("Pier reopens");
    expect(stripSiteAffixes("Pier reopens - Los Angeles Times", names([], "https://www.latimes.com/x"))).toBe(
      "Pier reopens",
    );
  });

  it("drops a section beside the site name and a leading section label", () => {
    const site = names(["Example News"]);
    expect(stripSiteAffixes("Storm hits coast | News | Example News", site)).toBe("Storm hits coast");
    expect(stripSiteAffixes("Opinion | Why the storm matters", site)).toBe("Why the storm matters");
  });

  it("keeps a headline that only happens to contain a separator", () => {
    const site = names(["Example News"]);
    expect(stripSiteAffixes("Milan Design Week | A light installation for FLOS", site)).toBe(
      "Milan Design Week | A light installation for FLOS",
    );
    expect(stripSiteAffixes("BREAKING: Senate adjourns", site)).toBe("BREAKING: Senate adjourns");
    expect(stripSiteAffixes("Example News", site)).toBe("Example News");
  });

  it("does not take a headline that starts with the site's name for the name", () => {
    const site = names([], "https://www.politifact.com/x");
    expect(isSiteName("PolitiFact's guide to understanding tariffs and trade", site)).toBe(false);
    expect(isSiteName("PolitiFact", site)).toBe(true);
  });
});

describe("chooseTitle", () => {
  const site = names(["Example News"]);

  it("prefers the visible headline over a differing og:title when they share words", () => {
    expect(
      chooseTitle({
        headlines: ["Why my friend became a grocery store on Instagram"],
        declared: ["Chasing Instagram analytics, people are becoming grocery stores | Example News"],
        names: site,
        section: null,
      }),
    ).toBe("Why my friend became a grocery store on Instagram");
  });

  it("ignores an h1 that is the masthead or unrelated, and falls back to the cleaned metadata title", () => {
    expect(
      chooseTitle({
        headlines: ["Example News", "Why don't you go fight for the reindeer?"],
        declared: ["Early reviews for the new console are here - Example News"],
        names: site,
        section: null,
      }),
    ).toBe("Early reviews for the new console are here");
    expect(
      chooseTitle({
        headlines: ["Silicon Notes"],
        declared: ["Silicon Notes: Open flow for programmable logic devices"],
        names: names([], "http://fakehost/test/page.html"),
        section: null,
      }),
    ).toBe("Silicon Notes: Open flow for programmable logic devices");
  });
});

describe("readHeadlines", () => {
  it("skips logos, footers and dialogs, and permalink marks", () => {
    const { document, close } = openDocument(
      `<html><body><header><h1 class="site-logo"><a href="/">Example News</a></h1></header>
      <article><h1>Harbour pier reopens <a class="headerlink" href="#x">¶</a></h1><p>Text</p></article>
      <div class="modal"><h1>Sign in</h1></div><footer><h1>About us</h1></footer></body></html>`,
      "https://www.example-news.com/a",
      "tree",
    );
    try {
      expect(readHeadlines(document)).toEqual(["Harbour pier reopens"]);
    } finally {
      close();
    }
  });

  it("reads the headline of a page the site shows inside a modal frame", () => {
    const story = "<p>The pier reopened on Monday after two years of repairs to its timber deck.</p>".repeat(
      30,
    );
    const document = documentOf(
      `<div class="render-target-modal"><article><h1>Harbour pier reopens</h1>
      ${story}</article><div class="newsletter-modal"><h1>Sign up</h1></div></div>`,
    );
    expect(readHeadlines(document)).toEqual(["Harbour pier reopens"]);
  });
});
