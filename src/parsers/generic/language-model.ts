import { createRequire } from "node:module";
import { CopydeskError } from "../../domain/errors.js";

/**
 * Google's Compact Language Detector 2, through the `cld` package's native module: 165 languages,
 * well under a millisecond for the 1,000–3,000 characters we give it, and no JavaScript heap (its
 * tables are the shared library's own read-only pages).
 *
 * It replaced eld, whose smallest database is a 950 KB object literal: about 28 MiB of live heap
 * once evaluated, most of what an extraction thread held, and V8 lets a heap grow to a multiple of
 * what is live before it collects, so that came back several times over in peak RSS.
 *
 * The package's own `detect` is asynchronous (it runs on libuv's pool); extraction is synchronous,
 * so this calls the module's synchronous `detect` directly. The version is pinned exactly, and a
 * module not built or not as expected fails with DEPENDENCY_MISSING.
 */

export interface Detection {
  /** The language's primary subtag, lower case: "en", "zh" (for zh-Hant too), "he" (CLD2's "iw"). */
  language: string;
  /** CLD2's own verdict: enough text, and a clear lead over the next language. */
  reliable: boolean;
}

export interface LanguageModel {
  /** The text's language, or null when CLD2 finds none (too little text, digits, gibberish). */
  detect(text: string): Detection | null;
  /** The languages it can find, as primary subtags. */
  languages: ReadonlySet<string>;
}

interface CldResult {
  reliable: boolean;
  languages: { code: string; percent: number }[];
}

interface CldBinding {
  detect(
    text: string,
    isPlainText: boolean,
    languageHint: string,
    encodingHint: string,
    tldHint: string,
    httpHint: string,
    bestEffort: boolean,
  ): CldResult;
  /** Names of the languages it detects ("ENGLISH", "ChineseT"). */
  DETECTED_LANGUAGES: string[];
  /** Language name → code ("HEBREW" → "iw"). */
  LANGUAGES: Record<string, string>;
}

const BINDING = "cld/build/Release/cld.node";

/** CLD2 still speaks the ISO 639 codes withdrawn in 1989 (and "jw" for Javanese). */
const CURRENT_CODES: Record<string, string> = { iw: "he", in: "id", ji: "yi", jw: "jv", mo: "ro" };

/** A code we can report: ISO 639's two or three letters ("xx-Qaai" and "zzp", CLD2's pseudo-languages, are not). */
function primarySubtag(code: string): string | null {
  const primary = code.split("-")[0]?.toLowerCase() ?? "";
  if (!/^[a-z]{2,3}$/.test(primary) || primary.startsWith("zz") || primary === "un") return null;
  return CURRENT_CODES[primary] ?? primary;
}

let model: LanguageModel | undefined;

/** Loaded on first use: a process that never reads a page never opens the library. */
export function languageModel(): LanguageModel {
  model ??= loadModel();
  return model;
}

function loadModel(): LanguageModel {
  let binding: CldBinding;
  try {
    binding = createRequire(import.meta.url)(BINDING) as CldBinding;
  } catch (error) {
    throw new CopydeskError(
      "DEPENDENCY_MISSING",
      `the language detector's native module (${BINDING}) is not built: run npm ci, or npm rebuild cld`,
      { cause: error },
    );
  }
  if (typeof binding.detect !== "function" || !Array.isArray(binding.DETECTED_LANGUAGES))
    throw new CopydeskError(
      "DEPENDENCY_MISSING",
      `${BINDING} is not the CLD2 module this code was written for`,
    );
  const languages = new Set<string>();
  for (const name of binding.DETECTED_LANGUAGES) {
    const code = primarySubtag(binding.LANGUAGES[name] ?? "");
    if (code) languages.add(code);
  }
  return {
    detect(text) {
      const result = binding.detect(text, true, "", "", "", "", false);
      const top = result.languages[0];
      const language = top ? primarySubtag(top.code) : null;
      return language ? { language, reliable: result.reliable } : null;
    },
    languages,
  };
}
