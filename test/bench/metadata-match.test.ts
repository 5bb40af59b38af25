import { describe, expect, it } from "vitest";
import {
  fieldMatches,
  fieldMatchesAsLabelled,
  normaliseText,
  parseInstant,
} from "../../bench/lib/metadata-match.js";

describe("normaliseText", () => {
  it("collapses whitespace, trims and lower-cases; empty is null", () => {
    expect(normaliseText("  Breaking\n\t News ")).toBe("breaking news");
    expect(normaliseText(" \n ")).toBeNull();
    expect(normaliseText(undefined)).toBeNull();
  });
});

describe("fieldMatches", () => {
  it("compares texts without regard to whitespace or case", () => {
    expect(fieldMatches("title", "Get your Frontend  Code", "get your frontend code")).toBe(true);
    expect(fieldMatches("byline", "Nicolas Perriault", "By Nicolas Perriault")).toBe(false);
  });

  it("meets a null expectation only with null or empty output", () => {
    expect(fieldMatches("siteName", null, null)).toBe(true);
    expect(fieldMatches("siteName", null, "  ")).toBe(true);
    expect(fieldMatches("siteName", null, "Example")).toBe(false);
    expect(fieldMatches("siteName", "Example", null)).toBe(false);
  });

  it("compares times as instants when both parse", () => {
    expect(fieldMatches("publishedTime", "2015-07-10T09:53:00-04:00", "2015-07-10T13:53:00.000Z")).toBe(true);
    expect(fieldMatches("publishedTime", "2021-11-01T10:52:50+0100", "2021-11-01T09:52:50Z")).toBe(true);
    expect(fieldMatches("publishedTime", "2024-06-25", "2024-06-25T00:00:00.000Z")).toBe(true);
    expect(fieldMatches("publishedTime", "2015-07-10T09:53:00-04:00", "2015-07-10T09:53:00Z")).toBe(false);
  });

  it("reads a time without a zone as UTC", () => {
    expect(fieldMatches("publishedTime", "2018-04-05T06:00", "2018-04-05T06:00:00.000Z")).toBe(true);
    expect(fieldMatches("publishedTime", "2017-11-03 03:01:00.000000", "2017-11-03T03:01:00.000Z")).toBe(
      true,
    );
    expect(parseInstant("2019-04-28 06:01:07")).toBe(Date.UTC(2019, 3, 28, 6, 1, 7));
  });

  it("falls back to comparing text when a time does not parse", () => {
    expect(fieldMatches("publishedTime", "last Tuesday", "Last  Tuesday")).toBe(true);
    expect(fieldMatches("publishedTime", "last Tuesday", "2020-01-01T00:00:00Z")).toBe(false);
  });
});

describe("fieldMatchesAsLabelled", () => {
  it("takes a title without the site's name around it, or typed with other quotes and dashes, for the same headline", () => {
    expect(
      fieldMatchesAsLabelled("title", "How to Build a Terrarium | eHow", "How to Build a Terrarium"),
    ).toBe(true);
    expect(fieldMatchesAsLabelled("title", "Mozilla - Wikipedia", "Mozilla")).toBe(true);
    expect(fieldMatchesAsLabelled("title", "Site News - Latest Headlines", "Latest Headlines")).toBe(true);
    expect(fieldMatchesAsLabelled("title", "Story _Section _Site", "Story")).toBe(true);
    expect(
      fieldMatchesAsLabelled("title", "LWN.net Weekly Edition [LWN.net]", "LWN.net Weekly Edition"),
    ).toBe(true);
    expect(
      fieldMatchesAsLabelled("title", `Student Dies "Burned Her Up"`, "Student Dies “Burned Her Up”"),
    ).toBe(true);
    // Another headline, or a headline cut inside a part, is no match.
    expect(
      fieldMatchesAsLabelled("title", "The Modern Ambitions Behind Neon", "Why Neon Is the Symbol"),
    ).toBe(false);
    expect(fieldMatchesAsLabelled("title", "Evolve: Shared Mutable History", "Shared")).toBe(false);
    expect(
      fieldMatchesAsLabelled("title", "A Long Story About the Dam | Example Gazette", "Example Gazette"),
    ).toBe(false);
    expect(fieldMatchesAsLabelled("title", null, "Anything")).toBe(false);
  });

  it("takes a site's name without 'The', a domain ending or a company form for the same name", () => {
    expect(fieldMatchesAsLabelled("siteName", "Washington Post", "The Washington Post")).toBe(true);
    expect(fieldMatchesAsLabelled("siteName", "Factorio.com", "Factorio")).toBe(true);
    expect(fieldMatchesAsLabelled("siteName", "http://www.tmz.com", "TMZ.COM")).toBe(true);
    expect(fieldMatchesAsLabelled("siteName", "Wikimedia Foundation, Inc.", "Wikimedia Foundation")).toBe(
      true,
    );
    expect(fieldMatchesAsLabelled("siteName", "HeraldSun", "Herald Sun")).toBe(true);
    expect(fieldMatchesAsLabelled("siteName", "Voodoo Engineering", "Medium")).toBe(false);
    expect(fieldMatchesAsLabelled("siteName", null, "Yahoo News")).toBe(false);
  });
});
