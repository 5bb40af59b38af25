import { type Dispatcher, EnvHttpProxyAgent } from "undici";
import { type AddressGuardOptions, createGuardedLookup } from "./address-guard.js";
import type { FetcherSettings, ProxySettings } from "./fetcher-settings.js";

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

/** The SSRF guard and the guarded undici client that every fetch of these settings goes through. */
export function createGuardedClient(
  settings: FetcherSettings,
  connectionsPerOrigin: number,
): { guard: AddressGuardOptions; dispatcher: Dispatcher } {
  const guard: AddressGuardOptions = {
    allowHosts: settings.allowHosts,
    ...(settings.resolve ? { resolve: settings.resolve } : {}),
  };
  const dispatcher = createDispatcher({
    guard,
    connectTimeoutMs: settings.connectTimeoutMs,
    headersTimeoutMs: settings.headersTimeoutMs,
    bodyIdleTimeoutMs: settings.bodyTimeoutMs,
    connectionsPerOrigin,
    proxy: settings.proxy,
  });
  return { guard, dispatcher };
}
