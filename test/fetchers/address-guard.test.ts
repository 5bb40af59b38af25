import { describe, expect, it } from "vitest";
import { CopydeskError } from "../../src/domain/errors.js";
import {
  checkUrlTarget,
  classifyAddress,
  createGuardedLookup,
  type HostResolver,
  isUnusualIpSpelling,
  parseIpv6,
  rawHostOf,
} from "../../src/fetchers/address-guard.js";

describe("classifyAddress", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["93.184.216.34", "public"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "reserved"],
    ["10.1.2.3", "private"],
    ["100.64.0.1", "shared"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["169.254.169.254", "link-local"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.0.0.8", "reserved"],
    ["192.0.2.1", "documentation"],
    ["192.168.1.1", "private"],
    ["198.18.0.1", "reserved"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "broadcast"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["::ffff:127.0.0.1", "ipv4-mapped"],
    ["::ffff:8.8.8.8", "ipv4-mapped"],
    ["::ffff:7f00:1", "ipv4-mapped"],
    ["::127.0.0.1", "reserved"],
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::808:808", "public"],
    ["2002:7f00:1::", "loopback"],
    ["2002:0808:0808::1", "public"],
    ["2001:db8::1", "documentation"],
    ["2001:0:4136:e378::1", "reserved"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["ff02::1", "multicast"],
    ["2606:4700:4700::1111", "public"],
    ["2a00:1450:4001:80b::200e", "public"],
    ["4000::1", "reserved"],
    ["not-an-ip", "reserved"],
  ])("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it("parses IPv6 with compression and an IPv4 tail", () => {
    expect(parseIpv6("::ffff:1.2.3.4")?.slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIpv6("1::")).toEqual([0, 1, ...Array(14).fill(0)]);
    expect(parseIpv6("nope")).toBeNull();
  });
});

describe("URL checks", () => {
  const guard = { allowHosts: [] as string[] };

  it.each([
    ["http://0x7f000001/", "0x7f000001"],
    ["http://2130706433/", "2130706433"],
    ["http://0177.0.0.1/", "0177.0.0.1"],
    ["http://127.1/", "127.1"],
    ["http://0x7f.0.0.1/", "0x7f.0.0.1"],
    ["http://127.0.0.01/", "127.0.0.01"],
    ["HTTP://0X7F000001:8080/x", "0X7F000001"],
    ["http:\\\\2130706433\\x", "2130706433"],
    ["http:2130706433/x", "2130706433"],
    ["http://0x7f\t000001/", "0x7f000001"],
    ["http://%30x7f000001/", "0x7f000001"],
  ])("sees the unusual spelling in %s", (url, host) => {
    expect(rawHostOf(url)).toBe(host);
    expect(isUnusualIpSpelling(host)).toBe(true);
    expect(() => checkUrlTarget(url, undefined, guard)).toThrow(/unusual IP address spelling/);
  });

  it.each(["127.0.0.1", "8.8.8.8", "example.com", "news.example.co.uk", "1.example.com", "x.123a"])(
    "%s is an ordinary spelling",
    (host) => {
      expect(isUnusualIpSpelling(host)).toBe(false);
    },
  );

  it("sees the spelling in a scheme-relative redirect", () => {
    expect(() => checkUrlTarget("//0x7f000001/a", "https://example.com/", guard)).toThrow(/unusual/);
  });

  it("lets a public URL through and resolves relative redirects", () => {
    expect(checkUrlTarget("https://example.com/a", undefined, guard).href).toBe("https://example.com/a");
    expect(checkUrlTarget("/b?c=1", "https://example.com/a", guard).href).toBe("https://example.com/b?c=1");
    expect(checkUrlTarget("https://8.8.8.8/", undefined, guard).hostname).toBe("8.8.8.8");
  });

  it("refuses literal internal addresses unless allowlisted", () => {
    expect(() => checkUrlTarget("http://10.0.0.1/", undefined, guard)).toThrow(CopydeskError);
    expect(() => checkUrlTarget("http://[fd00::1]/", undefined, guard)).toThrow(/private address/);
    expect(checkUrlTarget("http://127.0.0.1:8080/", undefined, { allowHosts: ["127.0.0.1"] }).port).toBe(
      "8080",
    );
  });
});

describe("guarded lookup", () => {
  function lookupOnce(
    resolve: HostResolver,
    hostname: string,
    options: { all?: boolean; family?: number } = {},
  ): Promise<unknown> {
    const lookup = createGuardedLookup({ allowHosts: ["allowed.test"], resolve });
    return new Promise((done, fail) => {
      lookup(
        hostname,
        options as never,
        ((error: Error | null, address: unknown, family?: number) => {
          if (error) fail(error);
          else done(options.all ? address : { address, family });
        }) as never,
      );
    });
  }

  it("answers with the addresses it checked, in the shape net asks for", async () => {
    const resolve: HostResolver = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "2606:2800:220:1::1", family: 6 },
    ];
    expect(await lookupOnce(resolve, "example.test", { all: true })).toHaveLength(2);
    expect(await lookupOnce(resolve, "example.test", { family: 6 })).toEqual({
      address: "2606:2800:220:1::1",
      family: 6,
    });
  });

  it("checks every resolution on its own, so a rebinding answer is refused", async () => {
    let calls = 0;
    const rebinding: HostResolver = async () =>
      calls++ === 0 ? [{ address: "93.184.216.34", family: 4 }] : [{ address: "127.0.0.1", family: 4 }];
    expect(await lookupOnce(rebinding, "rebind.test")).toEqual({ address: "93.184.216.34", family: 4 });
    await expect(lookupOnce(rebinding, "rebind.test")).rejects.toMatchObject({
      code: "FETCH_BLOCKED_ADDRESS",
    });
  });

  it("refuses a name with any internal address, except an allowlisted name", async () => {
    const mixed: HostResolver = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.1", family: 4 },
    ];
    await expect(lookupOnce(mixed, "mixed.test")).rejects.toMatchObject({ code: "FETCH_BLOCKED_ADDRESS" });
    expect(await lookupOnce(mixed, "allowed.test", { all: true })).toHaveLength(2);
  });

  it("reports DNS failures as FETCH_DNS", async () => {
    const failing: HostResolver = async () => {
      throw Object.assign(new Error("nope"), { code: "ENOTFOUND" });
    };
    await expect(lookupOnce(failing, "missing.test")).rejects.toMatchObject({ code: "FETCH_DNS" });
  });
});
