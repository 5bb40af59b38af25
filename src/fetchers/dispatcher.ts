import { type Dispatcher, EnvHttpProxyAgent } from "undici";
import { type AddressGuardOptions, createGuardedLookup } from "./address-guard.js";

/**
 * The one undici client every fetch goes through. Direct connections resolve their host with the
 * guarded lookup (SSRF check + pinning to the checked addresses). Proxied requests (HTTP(S)_PROXY,
 * minus NO_PROXY) connect to the proxy instead, which resolves the target itself: for those the
 * fetcher checks the target's addresses before sending, and the proxy's own egress rules have to
 * cover the rest (we cannot pin an address a proxy resolves).
 */
export interface DispatcherSettings {
  guard: AddressGuardOptions;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  /** Idle time between body chunks; the whole-body deadline is enforced by the body reader. */
  bodyIdleTimeoutMs: number;
  /** Connections kept per origin. */
  connectionsPerOrigin: number;
  proxy: ProxySettings;
}

export interface ProxySettings {
  http: string | undefined;
  https: string | undefined;
  noProxy: string | undefined;
}

export function hasProxy(proxy: ProxySettings): boolean {
  return Boolean(proxy.http || proxy.https);
}

export function createDispatcher(settings: DispatcherSettings): Dispatcher {
  return new EnvHttpProxyAgent({
    // Empty strings, not undefined: undici would otherwise read process.env itself, and config.ts
    // is the only reader of the environment.
    httpProxy: settings.proxy.http ?? "",
    httpsProxy: settings.proxy.https ?? "",
    noProxy: settings.proxy.noProxy ?? "",
    connect: { lookup: createGuardedLookup(settings.guard), timeout: settings.connectTimeoutMs },
    headersTimeout: settings.headersTimeoutMs,
    bodyTimeout: settings.bodyIdleTimeoutMs,
    connections: settings.connectionsPerOrigin,
  });
}
