import type { KnownPublisher } from "./known-publisher.js";
import { PUBLISHER_REGISTRY } from "./publisher-registry.js";

export type { KnownPublisher };

/**
 * Known publishers, looked up by host, by a credit as printed, and by a dateline's agency form.
 * The data is in publisher-registry.ts; this module only says how a printed credit is compared.
 */
export const KNOWN_PUBLISHERS: readonly KnownPublisher[] = PUBLISHER_REGISTRY;

/** A credit as compared: lower-case, one space, straight apostrophes, no edge punctuation. */
export function creditKey(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, " ")
    .replace(/^[\s"'“”«»([©–—-]+|[\s"'“”«»)\].,;:–—-]+$/g, "")
    .trim();
}

const BY_CREDIT = new Map<string, KnownPublisher>();
const BY_DATELINE = new Map<string, KnownPublisher>();
/** By registered name in lower case, the first publisher of a name kept. */
const BY_NAME = new Map<string, KnownPublisher>();
for (const publisher of KNOWN_PUBLISHERS) {
  for (const spelling of [...publisher.credits, ...(publisher.abbreviations ?? [])]) {
    BY_CREDIT.set(creditKey(spelling), publisher);
  }
  for (const form of publisher.datelines ?? []) BY_DATELINE.set(form.normalize("NFC"), publisher);
  const name = publisher.name.toLowerCase();
  if (!BY_NAME.has(name)) BY_NAME.set(name, publisher);
}

export function publisherForHost(host: string): KnownPublisher | undefined {
  const h = host.toLowerCase().replace(/^www\d?\./, "");
  return KNOWN_PUBLISHERS.find((p) => p.hosts.some((known) => h === known || h.endsWith(`.${known}`)));
}

/** The publisher a registered name or host names, for names read from metadata ("Reuters"). */
export function publisherForName(name: string): KnownPublisher | undefined {
  const key = creditKey(name);
  return BY_CREDIT.get(key) ?? BY_NAME.get(key);
}

/** Words around a credit that are not part of the name: "©", "Copyright 2019", "Source:", "via". */
const CREDIT_LEAD =
  /^(?:(?:copyright|source|sources|via|from|by|credit|courtesy of|©|\(c\))\s*:?\s*|(?:19|20)\d{2}\s+)+/i;
const CREDIT_TAIL = /(?:[.,]?\s*all rights reserved\.?|,?\s*(?:19|20)\d{2})$/i;

/**
 * A whole credit ("The Wall Street Journal", "© 2019 Associated Press. All rights reserved.",
 * "Source: AP") names a known publisher; abbreviations count here, as the credit is all there is.
 */
export function publisherForCredit(line: string): KnownPublisher | undefined {
  let key = creditKey(line);
  if (!key || key.length > 100) return undefined;
  for (let i = 0; i < 3; i++) {
    const stripped = creditKey(key.replace(CREDIT_LEAD, "").replace(CREDIT_TAIL, ""));
    if (stripped === key) break;
    key = stripped;
  }
  return key && key.length <= 60 ? BY_CREDIT.get(key) : undefined;
}

/**
 * The agency a dateline names by its printed form ("AP" in "NEW YORK (AP) —"). Short forms must
 * be printed as registered: "(ap)" or "(Ap)" is no dateline; longer ones may be upper-cased
 * ("(REUTERS)").
 */
export function publisherForDateline(form: string): KnownPublisher | undefined {
  const token = form.normalize("NFC").trim();
  const exact = BY_DATELINE.get(token);
  if (exact) return exact;
  if (token.length <= 3) return undefined;
  const upper = token.toUpperCase();
  for (const [registered, publisher] of BY_DATELINE) {
    if (registered.toUpperCase() === upper) return publisher;
  }
  return undefined;
}
