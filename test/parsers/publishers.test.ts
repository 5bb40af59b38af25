import { describe, expect, it } from "vitest";
import {
  creditKey,
  KNOWN_PUBLISHERS,
  publisherForCredit,
  publisherForDateline,
  publisherForHost,
  publisherForName,
} from "../../src/parsers/generic/publishers.js";

const wires = KNOWN_PUBLISHERS.filter((p) => p.kind === "wire");

describe("publisher registry", () => {
  it("holds at least 60 wires and syndicating outlets, 40 of them agencies", () => {
    expect(KNOWN_PUBLISHERS.filter((p) => p.kind !== "aggregator").length).toBeGreaterThanOrEqual(60);
    expect(wires.length).toBeGreaterThanOrEqual(40);
  });

  it("writes spellings as they are compared (lower-case, no edge punctuation) and hosts without www.", () => {
    for (const p of KNOWN_PUBLISHERS) {
      for (const spelling of [...p.credits, ...(p.abbreviations ?? [])])
        expect(creditKey(spelling), p.name).toBe(spelling);
      for (const host of p.hosts) expect(host, p.name).toMatch(/^(?!www\.)[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    }
  });

  it("no spelling, dateline form or host belongs to two entries", () => {
    const owners = new Map<string, string[]>();
    const claim = (key: string, name: string) => owners.set(key, [...(owners.get(key) ?? []), name]);
    for (const p of KNOWN_PUBLISHERS) {
      for (const s of new Set([...p.credits, ...(p.abbreviations ?? [])])) claim(`credit:${s}`, p.name);
      for (const d of new Set((p.datelines ?? []).map((form) => form.toUpperCase())))
        claim(`dateline:${d}`, p.name);
      for (const h of p.hosts) claim(`host:${h}`, p.name);
    }
    const shared = [...owners].filter(([, names]) => names.length > 1);
    expect(shared).toEqual([]);
  });

  for (const p of KNOWN_PUBLISHERS) {
    it(`${p.name}: each spelling, dateline form and host resolves to it`, () => {
      for (const spelling of p.credits) {
        expect(publisherForCredit(spelling), spelling).toBe(p);
        // As printed: capitalised, with a copyright sign or a source label around it.
        const printed = spelling
          .split(" ")
          .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
          .join(" ");
        expect(publisherForCredit(printed), printed).toBe(p);
        expect(publisherForCredit(`© 2024 ${printed}. All rights reserved.`), printed).toBe(p);
        expect(publisherForCredit(`Source: ${printed}`), printed).toBe(p);
        expect(publisherForName(printed), printed).toBe(p);
      }
      for (const abbreviation of p.abbreviations ?? []) {
        expect(publisherForCredit(abbreviation.toUpperCase()), abbreviation).toBe(p);
        expect(publisherForCredit(`(${abbreviation.toUpperCase()})`), abbreviation).toBe(p);
      }
      for (const form of p.datelines ?? []) expect(publisherForDateline(form), form).toBe(p);
      for (const host of p.hosts) {
        expect(publisherForHost(host), host).toBe(p);
        expect(publisherForHost(`www.${host}`), host).toBe(p);
      }
      expect(publisherForName(p.name), p.name).toBe(p);
    });
  }

  it("a short form is a dateline only as registered; a longer one also upper-cased", () => {
    expect(publisherForDateline("AP")?.name).toBe("The Associated Press");
    expect(publisherForDateline("ap")).toBeUndefined();
    expect(publisherForDateline("Ap")).toBeUndefined();
    expect(publisherForDateline("REUTERS")?.name).toBe("Reuters");
    expect(publisherForDateline("Monday")).toBeUndefined();
  });

  it("a credit is the whole line: a name inside a sentence is no credit", () => {
    expect(publisherForCredit("AP officials said the vote was close")).toBeUndefined();
    expect(publisherForCredit("Read more from Reuters and the AP on our site today")).toBeUndefined();
    expect(publisherForCredit("APPLE")).toBeUndefined();
    expect(publisherForHost("example.com")).toBeUndefined();
    // A host only matches on a label boundary.
    expect(publisherForHost("notreuters.com")).toBeUndefined();
    expect(publisherForHost("uk.reuters.com")?.name).toBe("Reuters");
  });
});
