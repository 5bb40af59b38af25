import { lookup as dnsLookup } from "node:dns";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { CopydeskError } from "../domain/errors.js";
import { refuseCredentials } from "../domain/url.js";

/**
 * SSRF defence. URLs come from users, so a fetch must never reach the machine itself, the private
 * network, or cloud metadata endpoints (169.254.169.254). Two checks, both needed:
 *
 * - `checkUrlTarget` runs on the first URL and on every redirect target, before anything is sent:
 *   scheme, credentials, unusual IP spellings, and the address when the host is an IP literal;
 * - `createGuardedLookup` is the `lookup` of the connection itself: it resolves the host, refuses
 *   it when any address is not public, and hands the socket only the addresses it checked, so a DNS
 *   server answering differently the second time (rebinding) has no second time to answer.
 *
 * The allowlist (config `allowHosts`: host names or IP addresses, matched exactly) is the only way
 * around either check; tests and local demos use it for 127.0.0.1.
 */

export type AddressClass =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "link-local"
  | "shared"
  | "multicast"
  | "broadcast"
  | "documentation"
  | "ipv4-mapped"
  | "reserved";

interface Range {
  prefix: number[];
  bits: number;
  kind: Exclude<AddressClass, "public">;
}

function v4(cidr: string, kind: Range["kind"]): Range {
  const [address = "", bits = "32"] = cidr.split("/");
  return { prefix: address.split(".").map(Number), bits: Number(bits), kind };
}

/** IANA IPv4 special-purpose registry, minus nothing: none of these are article servers. */
const IPV4_BLOCKED: Range[] = [
  v4("0.0.0.0/32", "unspecified"),
  v4("0.0.0.0/8", "reserved"),
  v4("10.0.0.0/8", "private"),
  v4("100.64.0.0/10", "shared"),
  v4("127.0.0.0/8", "loopback"),
  v4("169.254.0.0/16", "link-local"),
  v4("172.16.0.0/12", "private"),
  v4("192.0.0.0/24", "reserved"),
  v4("192.0.2.0/24", "documentation"),
  v4("192.88.99.0/24", "reserved"),
  v4("192.168.0.0/16", "private"),
  v4("198.18.0.0/15", "reserved"),
  v4("198.51.100.0/24", "documentation"),
  v4("203.0.113.0/24", "documentation"),
  v4("224.0.0.0/4", "multicast"),
  v4("255.255.255.255/32", "broadcast"),
  v4("240.0.0.0/4", "reserved"),
];

function v6(prefixHex: string, bits: number, kind: Range["kind"]): Range {
  const bytes = parseIpv6(prefixHex);
  if (!bytes) throw new Error(`bad IPv6 prefix ${prefixHex}`);
  return { prefix: bytes, bits, kind };
}

/**
 * IPv6 ranges checked in order; the first match wins. Only 2000::/3 is global unicast today, so
 * everything outside it is refused after these more specific names are tried.
 */
const IPV6_BLOCKED: Range[] = [
  v6("::", 128, "unspecified"),
  v6("::1", 128, "loopback"),
  v6("::ffff:0:0", 96, "ipv4-mapped"),
  v6("::ffff:0:0:0", 96, "ipv4-mapped"), // SIIT "IPv4-translated"
  v6("64:ff9b:1::", 48, "private"),
  v6("100::", 64, "reserved"),
  v6("2001:db8::", 32, "documentation"),
  v6("2001::", 23, "reserved"), // IETF protocol assignments: Teredo, benchmarking, ORCHID…
  v6("3fff::", 20, "documentation"),
  v6("5f00::", 16, "reserved"),
  v6("fc00::", 7, "private"),
  v6("fe80::", 10, "link-local"),
  v6("fec0::", 10, "private"),
  v6("ff00::", 8, "multicast"),
];

const NAT64 = v6("64:ff9b::", 96, "reserved");
const SIX_TO_FOUR = v6("2002::", 16, "reserved");
const GLOBAL_UNICAST = v6("2000::", 3, "reserved");

function matches(bytes: number[], range: Range): boolean {
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** Parses a textual IPv6 address (no brackets; a %zone is ignored) into 16 bytes, or null. */
export function parseIpv6(input: string): number[] | null {
  let text = input.replace(/%.*$/, "");
  if (isIP(text) !== 6) return null;
  // A trailing dotted IPv4 part becomes two hextets.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const parts = dotted[1].split(".").map(Number);
    const hi = (((parts[0] ?? 0) << 8) | (parts[1] ?? 0)).toString(16);
    const lo = (((parts[2] ?? 0) << 8) | (parts[3] ?? 0)).toString(16);
    text = `${text.slice(0, -dotted[1].length)}${hi}:${lo}`;
  }
  const [head = "", tail] = text.split("::");
  const headParts = head === "" ? [] : head.split(":");
  const tailParts = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - headParts.length - tailParts.length;
  const hextets = [
    ...headParts,
    ...(tail === undefined ? [] : Array<string>(missing).fill("0")),
    ...tailParts,
  ];
  if (hextets.length !== 8) return null;
  const bytes: number[] = [];
  for (const hextet of hextets) {
    const value = Number.parseInt(hextet, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  return bytes;
}

function classifyIpv4Bytes(bytes: number[]): AddressClass {
  for (const range of IPV4_BLOCKED) if (matches(bytes, range)) return range.kind;
  return "public";
}

/** What kind of address this is; anything but "public" must not be fetched. */
export function classifyAddress(address: string): AddressClass {
  const unbracketed = address.replace(/^\[|\]$/g, "");
  const family = isIP(unbracketed.replace(/%.*$/, ""));
  if (family === 4) return classifyIpv4Bytes(unbracketed.split(".").map(Number));
  if (family !== 6) return "reserved";
  const bytes = parseIpv6(unbracketed);
  if (!bytes) return "reserved";
  for (const range of IPV6_BLOCKED) if (matches(bytes, range)) return range.kind;
  // NAT64 and 6to4 carry an IPv4 address inside: they are only as public as that address.
  if (matches(bytes, NAT64)) return classifyIpv4Bytes(bytes.slice(12, 16));
  if (matches(bytes, SIX_TO_FOUR)) return classifyIpv4Bytes(bytes.slice(2, 6));
  if (!matches(bytes, GLOBAL_UNICAST)) return "reserved";
  return "public";
}

export interface AddressGuardOptions {
  /** Host names or IP addresses that skip the address checks (exact, case-insensitive). */
  allowHosts: readonly string[];
  /** Resolves a host name to every address; tests swap in a fake DNS. Defaults to dns.lookup. */
  resolve?: HostResolver;
}

export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export const systemResolver: HostResolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) reject(error);
      else
        resolve(addresses.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 })));
    });
  });

function normaliseHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
}

export function isAllowlisted(host: string, allowHosts: readonly string[]): boolean {
  const wanted = normaliseHost(host);
  return allowHosts.some((entry) => normaliseHost(entry) === wanted);
}

/**
 * The host exactly as written in a URL string, before the WHATWG parser rewrites "0x7f000001" or
 * "127.1" into "127.0.0.1". Null when the string has no authority we can find.
 */
export function rawHostOf(input: string): string | null {
  // The URL parser drops tabs and newlines anywhere, and accepts "http:host" and backslashes.
  const text = input.replace(/[\t\n\r]/g, "");
  const match =
    /^\s*(?:[a-z][a-z0-9+.-]*:)?[\\/]{2}([^\\/?#]*)/i.exec(text) ?? /^\s*https?:([^\\/?#]+)/i.exec(text);
  if (!match) return null;
  const authority = (match[1] ?? "").replace(/^.*@/, "");
  if (authority.startsWith("[")) return authority.replace(/\](:.*)?$/, "]");
  const host = authority.replace(/:[^:]*$/, "");
  try {
    // The parser percent-decodes a host before reading it as a number: "%30x7f.1" is 0x7f.1.
    return decodeURIComponent(host);
  } catch {
    return host;
  }
}

/**
 * True when a host is written as a number in some other shape than a plain dotted quad: decimal
 * ("2130706433"), octal ("0177.0.0.1"), hex ("0x7f.1"), or short ("127.1"). Browsers and the URL
 * parser accept all of these; an article link never uses them, and filters that only know the
 * dotted quad are what they are written to fool.
 */
export function isUnusualIpSpelling(rawHost: string): boolean {
  const host = rawHost.replace(/\.$/, "");
  const labels = host.split(".");
  const last = labels[labels.length - 1] ?? "";
  // WHATWG treats a host as IPv4 when its last label is numeric (decimal, 0x-hex or 0-octal).
  if (!/^(0x[0-9a-f]*|\d+)$/i.test(last)) return false;
  const canonical = labels.length === 4 && labels.every((label) => /^(0|[1-9]\d{0,2})$/.test(label));
  return !canonical;
}

/**
 * Checks a URL before any request is sent to it. `input` is the string as given (a user's URL or a
 * Location header), so unusual spellings can be seen before parsing normalises them away.
 */
export function checkUrlTarget(input: string, base: string | undefined, options: AddressGuardOptions): URL {
  let url: URL;
  try {
    url = base === undefined ? new URL(input.trim()) : new URL(input.trim(), base);
  } catch {
    throw new CopydeskError("INPUT_BAD_URL", `not a valid URL: ${JSON.stringify(input.slice(0, 200))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CopydeskError(
      "FETCH_BLOCKED_URL",
      `refusing ${url.protocol} URL: only http and https are fetched`,
      {
        details: { url: url.href },
      },
    );
  }
  refuseCredentials(url);
  const raw = rawHostOf(input);
  if (raw !== null && isUnusualIpSpelling(raw) && !isAllowlisted(raw, options.allowHosts)) {
    throw new CopydeskError("FETCH_BLOCKED_URL", `refusing unusual IP address spelling "${raw}"`, {
      details: { url: url.href, host: raw },
    });
  }
  const host = normaliseHost(url.hostname);
  if (isIP(host) !== 0 && !isAllowlisted(host, options.allowHosts)) {
    const kind = classifyAddress(host);
    if (kind !== "public") throw blockedAddress(url.hostname, host, kind);
  }
  return url;
}

function blockedAddress(hostname: string, address: string, kind: AddressClass): CopydeskError {
  const where = hostname.replace(/^\[|\]$/g, "") === address ? address : `${hostname} (${address})`;
  return new CopydeskError("FETCH_BLOCKED_ADDRESS", `refusing to connect to ${where}: ${kind} address`, {
    details: { host: hostname, address, kind },
  });
}

/**
 * Resolves a host and checks every address; used by the connection lookup and, when a proxy does
 * the connecting, as a pre-flight check. Refuses the host when any address is not public: a name
 * that resolves partly inside the network is not one we want to pick an address from.
 */
export async function resolveCheckedAddresses(
  hostname: string,
  options: AddressGuardOptions,
): Promise<ResolvedAddress[]> {
  const host = normaliseHost(hostname);
  const literal = isIP(host);
  if (literal !== 0) {
    if (!isAllowlisted(host, options.allowHosts)) {
      const kind = classifyAddress(host);
      if (kind !== "public") throw blockedAddress(hostname, host, kind);
    }
    return [{ address: host, family: literal === 6 ? 6 : 4 }];
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown";
    throw new CopydeskError("FETCH_DNS", `could not resolve ${hostname}: ${code}`, {
      details: { host: hostname, code },
      cause: error,
    });
  }
  if (addresses.length === 0) {
    throw new CopydeskError("FETCH_DNS", `could not resolve ${hostname}: no addresses`, {
      details: { host: hostname },
    });
  }
  if (isAllowlisted(host, options.allowHosts)) return addresses;
  for (const entry of addresses) {
    if (isAllowlisted(entry.address, options.allowHosts)) continue;
    const kind = classifyAddress(entry.address);
    if (kind !== "public") throw blockedAddress(hostname, entry.address, kind);
  }
  return addresses;
}

/**
 * A `net.connect` lookup that only ever returns addresses it has checked. Node calls it with
 * `all: true` when happy-eyeballs is on, and expects a single address otherwise.
 */
export function createGuardedLookup(options: AddressGuardOptions): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolveCheckedAddresses(hostname, options).then(
      (addresses) => {
        const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
        const usable = wanted === 0 ? addresses : addresses.filter((entry) => entry.family === wanted);
        if (usable.length === 0) {
          const error = Object.assign(new Error(`no IPv${wanted} address for ${hostname}`), {
            code: "ENOTFOUND",
          });
          callback(error, "", 0);
          return;
        }
        if (lookupOptions.all) {
          (callback as unknown as (error: null, all: ResolvedAddress[]) => void)(null, usable);
        } else {
          const first = usable[0] as ResolvedAddress;
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, "", 0),
    );
  };
}
