import { describe, expect, it } from "vitest";
import { choosePublisherName } from "../../src/parsers/generic/publisher-name.js";
import { siteNamesFrom } from "../../src/parsers/generic/site-names.js";

const at = (url: string) => siteNamesFrom([], url);

describe("choosePublisherName", () => {
  it("takes the declared name that names the host over a wire or platform in the JSON-LD", () => {
    expect(
      choosePublisherName({
        declared: ["Associated Press", "Harbour Gazette"],
        shown: [],
        handles: [],
        names: at("https://www.harbourgazette.com/a"),
      }),
    ).toBe("Harbour Gazette");
    expect(
      choosePublisherName({
        declared: ["Blogger"],
        shown: ["Pier reopens", "HarbourNaija"],
        handles: [],
        names: at("https://www.harbournaija.com/a"),
      }),
    ).toBe("HarbourNaija");
  });

  it("keeps the declared order when nothing names the host", () => {
    expect(
      choosePublisherName({
        declared: ["San Antonio Gazette", "Associated Press"],
        shown: [],
        handles: ["@mySAG"],
        names: at("https://www.mysanantoniogazette.com/a"),
      }),
    ).toBe("San Antonio Gazette");
  });

  it("cuts taglines, topic lists and legal forms, and refuses URLs and slugs", () => {
    const names = at("https://www.harbournaija.com/a");
    const pick = (declared: string[], shown: string[] = []) =>
      choosePublisherName({ declared, shown, handles: [], names });
    expect(pick(["HarbourNaija | Nigeria's popular news platform"])).toBe("HarbourNaija");
    expect(pick(["HarbourNaija GmbH"])).toBe("HarbourNaija");
    expect(pick(["https://www.harbournaija.com"])).toBeNull();
    expect(pick([], ["harbournaija-image-Logo"])).toBeNull();
  });

  it("writes the name as readers see it and prefers the brand to its edition", () => {
    const names = at("https://www.harbourgazette.com/a");
    const pick = (declared: string[], handles: string[] = []) =>
      choosePublisherName({ declared, shown: [], handles, names });
    expect(
      choosePublisherName({
        declared: ["Harbours", "Harbour's"],
        shown: [],
        handles: [],
        names: at("https://harbours.com/"),
      }),
    ).toBe("Harbour's");
    expect(pick(["harbourgazette"], ["@HarbourGazette"])).toBe("HarbourGazette");
    expect(pick(["Harbour Gazette International", "Harbour Gazette"])).toBe("Harbour Gazette");
  });

  it("takes no name off the page itself without a host to judge it by", () => {
    expect(
      choosePublisherName({ declared: [], shown: ["Opinion"], handles: [], names: at("http://fakehost/a") }),
    ).toBeNull();
  });
});
