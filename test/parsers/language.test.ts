import { describe, expect, it } from "vitest";
import { detectLanguage, resolveLanguage } from "../../src/parsers/generic/language.js";
import { languageModel } from "../../src/parsers/generic/language-model.js";

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

  it("keeps a declaration of a language close to the one it finds", () => {
    // Malay and Indonesian share most of their words: a Malay edition's declaration stands.
    const indonesian =
      "Pemerintah kota memutuskan untuk membuka kembali dermaga pelabuhan setelah dua tahun perbaikan. " +
      "Warga yang berkumpul di depan balai kota mengatakan mereka sudah menunggu cukup lama untuk itu semua.";
    expect(detectLanguage(indonesian)?.language).toBe("id");
    expect(resolveLanguage("ms", indonesian)).toBe("ms");
    expect(resolveLanguage("id", indonesian)).toBe("id");
  });

  it("counts letters in any script toward the text's length", () => {
    const russian = "Городской совет во вторник проголосовал за открытие причала после двух лет ремонта.";
    expect(detectLanguage(russian)).toEqual({ language: "ru", reliable: true, long: false });
    expect(detectLanguage(`${russian} ${russian} ${russian}`)?.long).toBe(true);
    expect(detectLanguage("Город 12345 67890 — 2024-05-01, 10:30; №7")).toBeNull();
  });

  it("reads further into a text whose opening gives no language (a schedule before the prose)", () => {
    const schedule = "10/03 – 12:30, 08/04 – 14:45; ".repeat(40);
    const portuguese =
      "A temporada começa em março no autódromo de Interlagos, e os pilotos disputam doze etapas até dezembro. " +
      "A organização confirmou que as provas serão transmitidas ao vivo e que o público poderá acompanhar os treinos.";
    expect(schedule.length).toBeGreaterThan(1_000);
    expect(detectLanguage(schedule + portuguese)?.language).toBe("pt");
  });

  it("says nothing about a text too short to judge", () => {
    expect(detectLanguage("Hello")).toBeNull();
    expect(resolveLanguage(null, "")).toBeNull();
  });
});

describe("languageModel", () => {
  it("names languages by their current ISO 639 codes, the primary subtag only", () => {
    const hebrew =
      "מועצת העיר הצביעה ביום שלישי על פתיחתו מחדש של מזח הנמל לאחר שנתיים של שיפוצים. התושבים שהתאספו " +
      "מחוץ לבניין העירייה אמרו שחיכו מספיק זמן.";
    const traditionalChinese =
      "市議會週二投票決定在兩年的維修後重新開放港口碼頭，居民們表示他們已經等了很久。";
    expect(languageModel().detect(hebrew)).toEqual({ language: "he", reliable: true });
    expect(languageModel().detect(traditionalChinese)?.language).toBe("zh");
    expect(languageModel().detect(GERMAN)).toEqual({ language: "de", reliable: true });
  });

  it("finds nothing in text with no language in it", () => {
    expect(languageModel().detect("")).toBeNull();
    expect(languageModel().detect("12345 67890 2024-05-01 10:30")).toBeNull();
  });

  it("knows the languages it can find, by the same codes", () => {
    const { languages } = languageModel();
    for (const code of ["en", "de", "he", "id", "ms", "zh", "ja", "uk"])
      expect(languages.has(code)).toBe(true);
    expect(languages.has("iw")).toBe(false);
    expect([...languages].every((code) => /^[a-z]{2,3}$/.test(code))).toBe(true);
  });
});

describe("placeholder text", () => {
  const LOREM =
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et " +
    "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex " +
    "ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore.";

  it("decides nothing: the declaration stands, and an undeclared page gets no language", () => {
    expect(languageModel().detect(LOREM)?.language).toBe("la");
    expect(detectLanguage(LOREM)).toBeNull();
    expect(resolveLanguage("en", LOREM)).toBe("en");
    expect(resolveLanguage(null, LOREM)).toBeNull();
  });
});
