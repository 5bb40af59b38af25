import { describe, expect, it } from "vitest";
import {
  bylineCredits,
  datelineCredit,
  lineCredit,
  republishedFromCredit,
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
