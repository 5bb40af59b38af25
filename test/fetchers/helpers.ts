import { once } from "node:events";
import { PassThrough } from "node:stream";
import zlib from "node:zlib";
import { expect } from "vitest";
import { CopydeskError, type ErrorCode } from "../../src/domain/errors.js";
import type { HostResolver, ResolvedAddress } from "../../src/fetchers/address-guard.js";
import { createFetcher, type Fetcher } from "../../src/fetchers/fetch-page.js";
import { DEFAULT_FETCHER_SETTINGS, type FetcherSettings } from "../../src/fetchers/fetcher-settings.js";

export const TEST_USER_AGENT = "copydesk/0.1 (+https://example.invalid/bot)";

/** Fake DNS: test host names → addresses; anything else does not exist. Never touches the network. */
export const FAKE_DNS: Record<string, string[]> = {
  "site.test": ["127.0.0.1"],
  "other.test": ["127.0.0.1"],
  "internal.test": ["10.0.0.8"],
  "metadata.test": ["169.254.169.254"],
  "loopback6.test": ["::1"],
  "mapped.test": ["::ffff:127.0.0.1"],
  "mixed.test": ["93.184.216.34", "127.0.0.1"],
};

export const fakeResolver: HostResolver = async (hostname) => {
  if (hostname === "hang.test") return new Promise<ResolvedAddress[]>(() => {});
  const addresses = FAKE_DNS[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

/** Short limits so every hostile case ends in well under a second. */
export function testSettings(overrides: Partial<FetcherSettings> = {}): FetcherSettings {
  return {
    ...DEFAULT_FETCHER_SETTINGS,
    userAgent: TEST_USER_AGENT,
    allowHosts: ["127.0.0.1", "site.test", "other.test"],
    hostDelayMs: 0,
    hostConcurrency: 16,
    maxBodyBytes: 10 * 1024 * 1024,
    connectTimeoutMs: 500,
    headersTimeoutMs: 500,
    bodyTimeoutMs: 500,
    proxy: { http: undefined, https: undefined, noProxy: undefined },
    resolve: fakeResolver,
    ...overrides,
  };
}

export function testFetcher(overrides: Partial<FetcherSettings> = {}): Fetcher {
  return createFetcher(testSettings(overrides));
}

/** Awaits a promise that must fail with a CopydeskError of `code`, within `withinMs`. */
export async function expectFetchError(
  promise: Promise<unknown>,
  code: ErrorCode,
  withinMs = 2000,
): Promise<CopydeskError> {
  const started = performance.now();
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  const elapsed = performance.now() - started;
  expect(caught, `expected ${code}, got a result`).toBeInstanceOf(CopydeskError);
  const error = caught as CopydeskError;
  expect(error.code, error.message).toBe(code);
  expect(elapsed, `${code} took ${Math.round(elapsed)} ms`).toBeLessThan(withinMs);
  return error;
}

/** Compresses `megabytes` MiB of zeros without ever holding them in memory. */
export async function compressionBomb(kind: "gzip" | "deflate" | "br", megabytes: number): Promise<Buffer> {
  const compressor =
    kind === "gzip"
      ? zlib.createGzip({ level: 9 })
      : kind === "deflate"
        ? zlib.createDeflate({ level: 9 })
        : zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } });
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  compressor.pipe(out);
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i++) {
    if (!compressor.write(zeros)) await once(compressor, "drain");
  }
  compressor.end();
  await once(out, "end");
  return Buffer.concat(chunks);
}
