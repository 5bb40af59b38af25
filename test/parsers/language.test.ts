import { describe, expect, it } from "vitest";
import { detectLanguage, resolveLanguage } from "../../src/parsers/generic/language.js";

const GERMAN =
  "Die elektronische Patientenakte soll die Versorgung verbessern. Ärzte, Kliniken und Apotheken sollen " +
  "künftig auf dieselben Daten zugreifen können, doch der Weg dorthin ist lang und voller Hindernisse. " +
  "Viele Praxen sind noch nicht angeschlossen, und die Versicherten wissen oft nicht, was gespeichert wird.";
const ENGLISH =
  "The city council voted on Tuesday to reopen the harbour pier after two years of repairs. Residents who " +
  "gathered outside the town hall said they had waited long enough, and the mayor promised that the work " +
  "would be finished before the summer season begins in earnest next month.";

describe("resolveLanguage", () => {
  it("detects the language when the page declares none", () => {
    expect(resolveLanguage(null, ENGLISH)).toBe("en");
    expect(resolveLanguage(null, GERMAN)).toBe("de");
  });

  it("keeps a declaration the text agrees with, region and all", () => {
    expect(resolveLanguage("en-GB", ENGLISH)).toBe("en-GB");
    expect(resolveLanguage("de-AT", GERMAN)).toBe("de-AT");
  });

  it("lets a long text overrule a declaration it contradicts, but not a headline alone", () => {
    expect(resolveLanguage("en", GERMAN)).toBe("de");
    expect(resolveLanguage("de", ENGLISH)).toBe("en");
    expect(resolveLanguage("de", "The council reopens the harbour pier after repairs")).toBe("de");
  });

  it("keeps a declaration of a language the detector confuses with the one it finds", () => {
    // The detector has no Indonesian and reads it as Malay.
    const indonesian =
      "Pemerintah kota memutuskan untuk membuka kembali dermaga pelabuhan setelah dua tahun perbaikan. " +
      "Warga yang berkumpul di depan balai kota mengatakan mereka sudah menunggu cukup lama untuk itu semua.";
    expect(resolveLanguage("id", indonesian)).toBe("id");
  });

  it("says nothing about a text too short to judge", () => {
    expect(detectLanguage("Hello")).toBeNull();
    expect(resolveLanguage(null, "")).toBeNull();
  });
});
