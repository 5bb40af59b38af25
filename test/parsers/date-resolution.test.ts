import { describe, expect, it } from "vitest";
import { openDocument } from "../../src/parsers/engine/dom.js";
import { publisherCountry, resolveDate, zoneOffsetAt } from "../../src/parsers/generic/date-resolution.js";
import { toIsoUtc } from "../../src/parsers/generic/dates.js";
import { dateFromUrl, findDateInText, readVisibleDates } from "../../src/parsers/generic/visible-dates.js";
import { documentOf } from "./stages/support.js";

const meta = (raw: string) => ({ raw, source: "metadata" as const });

describe("resolveDate", () => {
  it("gives a zone-less time the offset of another value of the same clock time", () => {
    expect(resolveDate([meta("2024-04-26 20:44"), meta("2024-04-26T20:44:00+02:00")])).toEqual({
      instant: "2024-04-26T18:44:00.000Z",
      raw: "2024-04-26 20:44",
    });
  });

  it("else reads it in the publisher's country's zone, summer time included", () => {
    const berlin = { timeZone: "Europe/Berlin" };
    expect(resolveDate([meta("2024-04-26 20:44")], berlin)?.instant).toBe("2024-04-26T18:44:00.000Z");
    expect(resolveDate([meta("2024-01-26 20:44")], berlin)?.instant).toBe("2024-01-26T19:44:00.000Z");
    expect(resolveDate([meta("2024-04-26 20:44")])?.instant).toBe("2024-04-26T20:44:00.000Z");
  });

  it("skips placeholders and takes the time of another value on the same day", () => {
    expect(
      resolveDate([meta("0001-01-01T00:00:00Z"), meta("2019-11-18"), meta("2019-11-18T20:28:55+00:00")]),
    ).toEqual({ instant: "2019-11-18T20:28:55.000Z", raw: "2019-11-18T20:28:55+00:00" });
  });

  it("takes a publication later than the stated update for a revision", () => {
    const resolved = resolveDate([meta("19 Nov 2019 07:09 GMT"), meta("Tue Nov 19 2019 05:44:06 GMT+0000")], {
      notLaterThan: "2019-11-19T05:44:00Z",
    });
    expect(resolved?.instant).toBe("2019-11-19T05:44:06.000Z");
  });

  it("takes the value whose UTC clock another value wrongly labels with the local offset", () => {
    // WordPress plugins print the UTC clock with the local offset beside the theme's right value.
    expect(resolveDate([meta("2014-06-21T09:41:45+01:00"), meta("2014-06-21T10:41:45+01:00")])?.instant).toBe(
      "2014-06-21T09:41:45.000Z",
    );
    // Against a "+00:00" value the same clocks say nothing: the first value stands.
    expect(resolveDate([meta("2016-12-22T10:43:37-08:00"), meta("2016-12-22T10:43:37+00:00")])?.instant).toBe(
      "2016-12-22T18:43:37.000Z",
    );
  });

  it("takes an earlier printed publication for the first one and the machine value for a revision", () => {
    const printed = (raw: string) => ({ raw, source: "text" as const });
    // A printed time with its zone, the seconds from the machine value of that minute.
    expect(
      resolveDate([
        meta("2019-11-20T04:31:13-06:00"),
        meta("2019-11-20T04:31:13+00:00"),
        printed("Nov 19, 2019, 10:31 pm CST"),
      ])?.instant,
    ).toBe("2019-11-20T04:31:13.000Z");
    expect(
      resolveDate([meta("2019-11-19T01:48:03.835Z"), printed("November 18, 2019 at 2:26 PM HST")])?.instant,
    ).toBe("2019-11-19T00:26:00.000Z");
    // A printed day alone: the machine value with a time on that day.
    expect(
      resolveDate([meta("2019-11-19 19:31:39"), printed("November 18, 2019"), meta("2019-11-18 19:14:00")])
        ?.instant,
    ).toBe("2019-11-18T19:14:00.000Z");
    // The same clock printed with a zone we read otherwise is the same moment: the machine's offset stands.
    expect(resolveDate([meta("2024-06-03T10:00:00+01:00"), printed("June 3, 2024 10:00 IST")])?.instant).toBe(
      "2024-06-03T09:00:00.000Z",
    );
    // A printed date later than the machine value is an update's; one far earlier is another story's.
    expect(resolveDate([meta("2019-11-19T10:36:00Z"), printed("Nov 20, 2019 9:00 am ET")])?.instant).toBe(
      "2019-11-19T10:36:00.000Z",
    );
    expect(resolveDate([meta("2019-11-19T10:36:00Z"), printed("May 18, 2018 9:00 am ET")])?.instant).toBe(
      "2019-11-19T10:36:00.000Z",
    );
  });

  it("keeps a printed local time without a zone as its local date-time, and a URL's date as a date", () => {
    expect(resolveDate([{ raw: "November 19, 2019, 9:02 AM", source: "text" }])).toEqual({
      instant: "2019-11-19T09:02:00.000Z",
      raw: "2019-11-19T09:02",
    });
    expect(resolveDate([{ raw: "2024-05-01", source: "url" }])).toEqual({
      instant: "2024-05-01T00:00:00.000Z",
      raw: "2024-05-01",
    });
  });
});

describe("publisherCountry", () => {
  it("reads the country from the host's TLD, else the language's region or a one-zone language", () => {
    expect(publisherCountry("https://www.example-zeitung.de/a", null)).toEqual({
      timeZone: "Europe/Berlin",
      dayFirst: true,
    });
    expect(publisherCountry("https://example.com/a", "en-US")).toEqual({ timeZone: null, dayFirst: false });
    expect(publisherCountry("https://example.com/a", "ko")).toEqual({
      timeZone: "Asia/Seoul",
      dayFirst: true,
    });
    expect(publisherCountry("https://example.com/a", null)).toEqual({ timeZone: null, dayFirst: false });
  });

  it("knows the zone's offset at a local time", () => {
    expect(zoneOffsetAt("Asia/Kolkata", Date.UTC(2019, 10, 20, 13, 0))).toBe(330);
    expect(zoneOffsetAt("Europe/London", Date.UTC(2019, 6, 1, 12, 0))).toBe(60);
  });
});

describe("printed dates", () => {
  it.each([
    ["Published 11:11 PM EST Nov 19, 2019", "11:11 PM EST Nov 19, 2019", "2019-11-20T04:11:00.000Z"],
    ["기사입력 :[ 2018-09-28 17:32 ]", "2018-09-28 17:32", "2018-09-28T17:32:00.000Z"],
    ["publiziert am 25. September 2018", "25. September 2018", "2018-09-25T00:00:00.000Z"],
    ["November 20, 2019 - 11:28 AMT", "November 20, 2019 - 11:28 AMT", "2019-11-20T07:28:00.000Z"],
    [
      "on Monday, November 18th, 2019 at 11:08 a.m.",
      "November 18th, 2019 at 11:08 a.m.",
      "2019-11-18T11:08:00.000Z",
    ],
  ])("finds the date in %s", (text, found, iso) => {
    expect(findDateInText(text)).toBe(found);
    expect(toIsoUtc(found)).toBe(iso);
  });

  it("passes over a date the text calls an update", () => {
    expect(
      findDateInText("By Al Root Updated Nov. 19, 2019 8:21 am ET / Original Nov. 19, 2019 8:02 am ET"),
    ).toBe("Nov. 19, 2019 8:02 am ET");
    expect(findDateInText("Zuletzt aktualisiert: 25. September 2018")).toBeNull();
  });

  it("reads day and month in the country's order", () => {
    expect(toIsoUtc("05/10/2018", { dayFirst: true })).toBe("2018-10-05T00:00:00.000Z");
    expect(toIsoUtc("05/10/2018")).toBe("2018-05-10T00:00:00.000Z");
    expect(toIsoUtc("13.11.2019, 23:06")).toBe("2019-11-13T23:06:00.000Z");
  });

  it("reads dates from date elements, not from footers or tables", () => {
    const { document, close } = openDocument(
      `<html><body><table><tr><td class="date">February 28, 1998</td></tr></table>
      <div class="article-date">Posted November 19, 2019, 9:02 AM</div>
      <footer><span class="date">January 1, 2020</span></footer></body></html>`,
      "https://example.org/a",
      "tree",
    );
    try {
      expect(readVisibleDates(document)).toEqual(["November 19, 2019, 9:02 AM"]);
    } finally {
      close();
    }
  });

  it("reads dates in a layout table's cell, not in a data table's", () => {
    const story = "Words of the story. ".repeat(30);
    const document = documentOf(
      `<table><tr><td><span class="date">February 28, 1998</span></td></tr></table>
      <table><tr><td><div class="article_date">November 20, 2019 - 11:28 AMT</div><p>${story}</p></td></tr></table>`,
    );
    expect(readVisibleDates(document)).toEqual(["November 20, 2019 - 11:28 AMT"]);
  });

  it("reads an introduced date printed loose beside the headline, not one inside a sentence", () => {
    const loose = documentOf(
      `<div class="content"><dl><dt>Headline</dt></dl> 기사입력 :[ 2018-09-28 17:32 ]
      <p>${"Text of the story. ".repeat(20)}</p></div>`,
    );
    const caption = documentOf(
      "<p>Detainees at a detention center in San Diego, Calif., on May 18, 2018.</p>",
    );
    expect(readVisibleDates(loose)).toEqual(["2018-09-28 17:32"]);
    expect(readVisibleDates(caption)).toEqual([]);
  });

  it("passes over a time element the text before it calls an update", () => {
    const document = documentOf(
      `<span>Updated <time datetime="2018-07-24T18:15:58Z">Jul 24, 2018, 2:15pm EDT</time></span>
      <span class="byline-date">Dec 15, 2017, 8:50am EST</span>`,
    );
    expect(readVisibleDates(document)).toEqual(["Dec 15, 2017, 8:50am EST"]);
  });

  it("reads the date a URL carries", () => {
    expect(dateFromUrl("https://example.org/2024/05/01/story")).toBe("2024-05-01");
    expect(dateFromUrl("https://example.org/news/2019-11-19/story")).toBe("2019-11-19");
    expect(dateFromUrl("https://example.org/20191119/story")).toBe("2019-11-19");
    expect(dateFromUrl("https://example.org/story-2024")).toBeNull();
  });
});
