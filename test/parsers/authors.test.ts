import { describe, expect, it } from "vitest";
import { chooseAuthors, cleanAuthorNames } from "../../src/parsers/generic/authors.js";
import { siteNamesFrom } from "../../src/parsers/generic/site-names.js";

describe("cleanAuthorNames", () => {
  it("drops By, job titles, handles and e-mail addresses from a printed byline", () => {
    expect(
      cleanAuthorNames([
        "By Ana Silva, Senior Reporter, and Tom Lee | @tomlee | tom@example-news.com and Priya Natarajan, Data Editor",
      ]),
    ).toEqual(["Ana Silva", "Tom Lee", "Priya Natarajan"]);
  });

  it("splits names joined by 'and', '&' and commas, and in other languages", () => {
    expect(cleanAuthorNames(["Marta Kovalenko and Daniel Whitcombe"])).toEqual([
      "Marta Kovalenko",
      "Daniel Whitcombe",
    ]);
    expect(cleanAuthorNames(["Von Katrin Müller und Jörg Weiß"])).toEqual(["Katrin Müller", "Jörg Weiß"]);
    expect(cleanAuthorNames(["Jane Doe & John Roe"])).toEqual(["Jane Doe", "John Roe"]);
  });

  it("drops datelines and outlets after a name, and dates in the byline", () => {
    expect(cleanAuthorNames(["Marcus Walker in Kyiv and Ian Lovett for The Wall Street Journal"])).toEqual([
      "Marcus Walker",
      "Ian Lovett",
    ]);
    expect(cleanAuthorNames(["Dan Goodin - Updated 3 hours ago"])).toEqual(["Dan Goodin"]);
  });

  it("fixes ALL-CAPS names and removes duplicates across sources", () => {
    expect(cleanAuthorNames(["By JOE HILDEBRAND", "Joe Hildebrand"])).toEqual(["Joe Hildebrand"]);
  });

  it("returns nothing for an empty or organisation-only job line", () => {
    expect(cleanAuthorNames([""])).toEqual([]);
    expect(cleanAuthorNames(["Staff Writer"])).toEqual([]);
  });
});

describe("organisation credits", () => {
  const site = siteNamesFrom(["Harbour Gazette"], "https://www.harbourgazette.com/2024/05/01/story");

  it("gives no person for the site, a wire, a desk or an account", () => {
    expect(cleanAuthorNames(["Harbour Gazette"], site)).toEqual([]);
    expect(cleanAuthorNames(["HarbourGazette"], site)).toEqual([]);
    expect(cleanAuthorNames(["Reuters"], site)).toEqual([]);
    expect(cleanAuthorNames(["By REUTERS"], site)).toEqual([]);
    expect(cleanAuthorNames(["Associated Press"], site)).toEqual([]);
    expect(cleanAuthorNames(["Detroit News wire services"], site)).toEqual([]);
    expect(cleanAuthorNames(["IGN Staff"], site)).toEqual([]);
    expect(cleanAuthorNames(["admin"], site)).toEqual([]);
    expect(cleanAuthorNames(["kei_eno"], site)).toEqual([]);
    expect(cleanAuthorNames(["KWCHCIK"], site)).toEqual([]);
    expect(cleanAuthorNames(["The Russian and Syrian defense ministries"], site)).toEqual([]);
    expect(cleanAuthorNames(["PMJS - Coordenadoria de TI"], site)).toEqual([]);
  });

  it("keeps the people beside an organisation, and a single name that is the whole byline", () => {
    expect(cleanAuthorNames(["Meg Kinnard and Errin Haines, Associated Press"], site)).toEqual([
      "Meg Kinnard",
      "Errin Haines",
    ]);
    expect(cleanAuthorNames(["Reuters, Washington, Nov 20 2019"], site)).toEqual([]);
    expect(cleanAuthorNames(["by Regan"], site)).toEqual(["Regan"]);
    expect(cleanAuthorNames(["박생강"], site)).toEqual(["박생강"]);
  });

  it("keeps a person whose name is also the site's (a personal blog)", () => {
    const blog = siteNamesFrom(["Haki Benita"], "https://hakibenita.com/sql-anomaly-detection");
    expect(cleanAuthorNames(["Haki Benita"], blog)).toEqual(["Haki Benita"]);
  });

  it("drops credentials, labels, photo credits and the day after a name", () => {
    expect(cleanAuthorNames(["Written by Rachael Link, MS, RD"])).toEqual(["Rachael Link"]);
    expect(cleanAuthorNames(["Текст: Венера Ерофеева"])).toEqual(["Венера Ерофеева"]);
    expect(
      cleanAuthorNames(["By Matthew Digby, Minh Do on Monday, November 18th, 2019 at 11:08 a.m."]),
    ).toEqual(["Matthew Digby", "Minh Do"]);
    expect(cleanAuthorNames(["By Tariq Malik, Mike Wall 2019-11-18T22:05:36Z Spaceflight"])).toEqual([
      "Tariq Malik",
      "Mike Wall",
    ]);
    expect(cleanAuthorNames(["by Eleanor Roy (reporting) and Adrian Malloch (photography)"])).toEqual([
      "Eleanor Roy",
    ]);
    expect(cleanAuthorNames(["Bruce Y. Lee"])).toEqual(["Bruce Y. Lee"]);
    expect(cleanAuthorNames(["Byron Smith"])).toEqual(["Byron Smith"]);
  });
});

describe("chooseAuthors", () => {
  it("takes the first source that names a person, or a later one naming the same people and more", () => {
    expect(chooseAuthors([["Reuters"], ["By Ana Silva"]])).toEqual(["Ana Silva"]);
    expect(chooseAuthors([["Stefan Becket"], ["By Stefan Becket, Kathryn Watson, Grace Segers"]])).toEqual([
      "Stefan Becket",
      "Kathryn Watson",
      "Grace Segers",
    ]);
    expect(chooseAuthors([["Ana Silva"], ["By Tom Lee"]])).toEqual(["Ana Silva"]);
  });
});
