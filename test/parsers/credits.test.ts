import { describe, expect, it } from "vitest";
import { samePublisherSite } from "../../src/domain/url.js";
import {
  bylineCredits,
  copyrightHolder,
  datelineCredit,
  lineCredit,
  republishedFromCredit,
  saysRepublishedUnnamed,
  signOffCredit,
  sourceLineCredit,
} from "../../src/parsers/generic/credits.js";

const names = (credits: { name: string }[]) => credits.map((c) => c.name);

describe("credit readers", () => {
  it("bylines: the outlet after the people, with or without a role or a printed date", () => {
    expect(names(bylineCredits("By Tom Davies, Associated Press"))).toEqual(["The Associated Press"]);
    expect(names(bylineCredits("Greg Beacham, AP Sports Writer"))).toEqual(["The Associated Press"]);
    expect(names(bylineCredits("Ann Lee | Reuters"))).toEqual(["Reuters"]);
    expect(names(bylineCredits("By REUTERS"))).toEqual(["Reuters"]);
    expect(names(bylineCredits("Reuters, Washington"))).toEqual(["Reuters"]);
    expect(names(bylineCredits("Associated Press November 19, 2019, 9:02 AM"))).toEqual([
      "The Associated Press",
    ]);
    expect(names(bylineCredits("Jane Doe for the Guardian"))).toEqual(["The Guardian"]);
    expect(bylineCredits("By Ann Lee and Tom Cruz, Senior Writers")).toEqual([]);
    expect(bylineCredits("Apollo Papadopoulos")).toEqual([]);
  });

  it("bylines: an outlet the registry does not list, named as an outlet after the people", () => {
    expect(names(bylineCredits("Lisa Kay and Trevor Mitchell, Sioux Falls Argus Leader"))).toEqual([
      "Sioux Falls Argus Leader",
    ]);
    expect(names(bylineCredits("By Ann Lee, The Hometown Gazette"))).toEqual(["The Hometown Gazette"]);
    // A person's name, a place or a role after the names is no outlet.
    expect(bylineCredits("Ann Lee, Tom Cruz")).toEqual([]);
    expect(bylineCredits("Ann Lee, Washington")).toEqual([]);
    expect(bylineCredits("Ann Lee, Sun Valley")).toEqual([]);
    expect(bylineCredits("Ann Lee, Staff Writer")).toEqual([]);
    // The first segment holds the names, even when they read like an outlet's.
    expect(bylineCredits("Daily Star")).toEqual([]);
  });

  it("copyright lines beside a line that says the story was adapted without saying from whom", () => {
    expect(saysRepublishedUnnamed("This article has been adapted from its original source.")).toBe(true);
    expect(saysRepublishedUnnamed("This article was republished from the original publisher.")).toBe(true);
    // A named source is a republished-from credit of its own; a date after "first published" is none.
    expect(saysRepublishedUnnamed("This article was republished from The Conversation.")).toBe(false);
    expect(saysRepublishedUnnamed("First published on November 20, 2019 / 1:07 AM")).toBe(false);
    expect(copyrightHolder("Copyright © 2019 Press Example TV. All rights reserved.")?.name).toBe(
      "Press Example TV",
    );
    expect(copyrightHolder("© 2024-2025 Harbour Television")?.name).toBe("Harbour Television");
    expect(copyrightHolder("© 2019 Reuters")?.known?.name).toBe("Reuters");
    expect(copyrightHolder("All photos are copyright of their owners")).toBeNull();
  });

  it("one publisher's sites: a subdomain, or its name under another suffix", () => {
    expect(samePublisherSite("http://social.techcrunch.com/a", "https://techcrunch.com/a")).toBe(true);
    expect(samePublisherSite("https://www.businessinsider.de/a", "https://www.businessinsider.com/a")).toBe(
      true,
    );
    expect(samePublisherSite("https://www.jaraguadosul.sc.gov.br/a", "http://jaraguadosul.com.br/a")).toBe(
      true,
    );
    expect(samePublisherSite("https://www.theaustralian.com.au/a", "https://www.newsbite.com.au/a")).toBe(
      false,
    );
    // Two generic suffixes are two sites; short names are shared by unrelated publishers across countries.
    expect(samePublisherSite("https://news.example.org/a", "https://origin.example.net/a")).toBe(false);
    expect(samePublisherSite("https://www.abc.net.au/a", "https://abc.es/a")).toBe(false);
  });

  it("datelines: the agency in the story's opening words only", () => {
    expect(datelineCredit("NEW YORK (AP) — Stocks fell.")?.name).toBe("The Associated Press");
    expect(datelineCredit("(Reuters) - Shares rose.")?.name).toBe("Reuters");
    expect(datelineCredit("WASHINGTON, Nov 19 (Reuters) - Shares rose.")?.name).toBe("Reuters");
    expect(datelineCredit("Madrid, 19 nov (EFE).- El Gobierno aprobó.")?.name).toBe("EFE");
    expect(datelineCredit("Berlin (dpa) - Die Regierung hat.")?.name).toBe("dpa");
    expect(datelineCredit("MOSCOW, November 19. /TASS/. The Kremlin said.")?.name).toBe("TASS");
    expect(datelineCredit("New Delhi, Nov 19 (PTI) The government said.")).toBeNull();
    expect(datelineCredit("New Delhi, Nov 19 (PTI): The government said.")?.name).toBe(
      "Press Trust of India",
    );
    // A parenthesis later in the story, or one that is no agency, is no dateline.
    expect(datelineCredit(`${"word ".repeat(40)}(AP) — late`)).toBeNull();
    expect(datelineCredit("The chief executive (CEO) — said")).toBeNull();
    expect(datelineCredit("Officials (ap) — lower case")).toBeNull();
  });

  it("sign-offs at the end of the story", () => {
    expect(signOffCredit("… he said. — AFP")?.name).toBe("AFP");
    expect(signOffCredit("-- Bernama")?.name).toBe("Bernama");
    expect(signOffCredit("He said it was over — finally")).toBeNull();
  });

  it("republished-from lines name the outlet, known or not; a sentence that mentions one does not", () => {
    expect(
      republishedFromCredit(
        "This article was originally published on The Conversation. Read the original article.",
      )?.name,
    ).toBe("The Conversation");
    expect(republishedFromCredit("This story originally appeared in Grist and is republished here.")).toEqual(
      {
        known: null,
        name: "Grist",
      },
    );
    expect(republishedFromCredit("Republished with permission from Futurism.")?.name).toBe("Futurism");
    expect(republishedFromCredit("Provided by European Space Agency")?.name).toBe("European Space Agency");
    // Only a known publisher after "provided by": data widgets say it too.
    expect(republishedFromCredit("Market data provided by Acme Quotes")).toBeNull();
    expect(republishedFromCredit("First published on Nov 20, 2019")).toBeNull();
    expect(republishedFromCredit("The study, first published in The Lancet, found that")).toBeNull();
    expect(republishedFromCredit("Photo courtesy of Reuters")).toBeNull();
  });

  it("source, copyright and name lines", () => {
    expect(sourceLineCredit("Source: AP")).toMatchObject({ kind: "source-line" });
    expect(sourceLineCredit("Quelle: dpa/AFP")?.credit.name).toBe("dpa");
    expect(sourceLineCredit("© 2019 Associated Press. All Rights Reserved.")).toMatchObject({
      kind: "copyright-line",
    });
    expect(sourceLineCredit("The Wall Street Journal")).toMatchObject({ kind: "name-line" });
    expect(sourceLineCredit("Photo: AP")).toBeNull();
    expect(sourceLineCredit("AP officials said the vote was close")).toBeNull();
    expect(lineCredit("Originally published by Futurism")?.evidence).toBe("republished-line");
  });
});
