import { languageModel } from "./language-model.js";

/**
 * The language of the article's text. The page's declaration (<html lang>, JSON-LD inLanguage,
 * content-language, og:locale) is kept when the text agrees with it; the text decides when the
 * page declares nothing, or declares a language its text is plainly not in (a template's
 * lang="en" on a German blog, a German edition serving an English story). The detector is CLD2
 * (language-model.ts).
 */

/** Enough letters to judge by: a headline alone is too short to overrule a declaration. */
const MIN_LETTERS_TO_DETECT = 40;
const MIN_LETTERS_TO_OVERRULE = 200;
/**
 * The detector reads the text's first 1,000 characters, and its first 3,000 when those leave it
 * unsure: a story that opens with a list of dates and places (a race calendar) needs more, and
 * most do not (CLD2's time grows with the text).
 */
const FIRST_SAMPLE = 1_000;
const SAMPLE_LENGTH = 3_000;

/**
 * Languages a detector cannot tell apart reliably: a declaration within the same group stands
 * (Malay and Indonesian, Norwegian and Danish, Serbian, Croatian and Bosnian share most of their words).
 */
const CLOSE_GROUPS = [
  ["no", "nb", "nn", "da", "sv"],
  ["hr", "sr", "bs", "sh", "me", "sl"],
  ["ms", "id"],
  ["cs", "sk"],
  ["pt", "gl", "es", "ca"],
  ["uk", "ru", "be"],
  ["hi", "mr", "ne"],
  ["fa", "ur", "ar"],
  ["zh", "ja"],
];

/**
 * Lorem ipsum, the placeholder text of templates and test pages, reads as Latin. A page whose text
 * is Latin is far more often a placeholder than a story in Latin, so that verdict decides nothing:
 * a declaration stands against it (lang="la" too), and an undeclared page gets no language from it.
 */
const PLACEHOLDER_LANGUAGES = new Set(["la"]);

function close(a: string, b: string): boolean {
  return CLOSE_GROUPS.some((group) => group.includes(a) && group.includes(b));
}

export interface DetectedLanguage {
  language: string;
  /** The detector is sure of it. */
  reliable: boolean;
  /** Enough text to overrule what the page declares. */
  long: boolean;
}

/** Letters in `text`, counted no further than `cap`. */
function lettersUpTo(text: string, cap: number): number {
  let letters = 0;
  for (let at = 0; at < text.length && letters < cap; at++) {
    const code = text.charCodeAt(at);
    const lower = code | 0x20;
    if (lower >= 0x61 && lower <= 0x7a) letters++;
    else if (code > 0x7f) {
      // Tested where it stands (sticky), as countWords does: no string made per character.
      LETTER.lastIndex = at;
      if (LETTER.test(text)) letters++;
      if ((text.codePointAt(at) as number) > 0xffff) at++;
    }
  }
  return letters;
}

const LETTER = /\p{L}/uy;

export function detectLanguage(text: string): DetectedLanguage | null {
  const sample = text.slice(0, SAMPLE_LENGTH);
  const letters = lettersUpTo(sample, MIN_LETTERS_TO_OVERRULE);
  if (letters < MIN_LETTERS_TO_DETECT) return null;
  const model = languageModel();
  let result = sample.length > FIRST_SAMPLE ? model.detect(sample.slice(0, FIRST_SAMPLE)) : null;
  if (!result?.reliable) result = model.detect(sample);
  if (!result || PLACEHOLDER_LANGUAGES.has(result.language)) return null;
  return { ...result, long: letters >= MIN_LETTERS_TO_OVERRULE };
}

/** The declared tag, or the detected primary subtag when the page declares none or the text contradicts it. */
export function resolveLanguage(declared: string | null, text: string): string | null {
  const detected = detectLanguage(text);
  if (!detected) return declared;
  if (!declared) return detected.reliable ? detected.language : null;
  const primary = declared.split("-")[0]?.toLowerCase() ?? "";
  if (primary === detected.language || close(primary, detected.language)) return declared;
  // A language the detector does not know cannot be contradicted by it.
  if (!languageModel().languages.has(primary) || !detected.reliable || !detected.long) return declared;
  return detected.language;
}
