import { describe, expect, it } from "vitest";
import { toIsoUtc } from "../../src/parsers/generic/dates.js";

describe("toIsoUtc", () => {
  it.each([
    ["2025-03-10T23:14:00Z", "2025-03-10T23:14:00.000Z"],
    ["2025-03-10T08:22:00+11:00", "2025-03-09T21:22:00.000Z"],
    ["2025-03-10T08:22:00+1100", "2025-03-09T21:22:00.000Z"],
    ["2025-03-10 23:14", "2025-03-10T23:14:00.000Z"],
    ["2025-03-10", "2025-03-10T00:00:00.000Z"],
    ["March 11, 2025 10:14am AEDT", "2025-03-10T23:14:00.000Z"],
    ["Updated: Tuesday, March 11, 2025 at 10:14am", "2025-03-11T10:14:00.000Z"],
    ["Mar. 10, 2025 5:30 p.m. ET", "2025-03-10T22:30:00.000Z"],
    ["Tue, 11 Mar 2025 06:00:00 GMT", "2025-03-11T06:00:00.000Z"],
    ["1741648440", "2025-03-10T23:14:00.000Z"],
  ])("reads %s as %s", (raw, iso) => {
    expect(toIsoUtc(raw)).toBe(iso);
  });

  it("does not depend on the machine's time zone for zone-less text", () => {
    expect(toIsoUtc("11 March 2025")).toBe("2025-03-11T00:00:00.000Z");
  });

  it("rejects text that is not a date, dates before 1990 and dates after the fetch", () => {
    expect(toIsoUtc("yesterday-ish")).toBeNull();
    expect(toIsoUtc("0001-01-01T00:00Z")).toBeNull();
    expect(toIsoUtc("2031-01-01T00:00:00Z", { notAfter: "2025-03-11T06:00:00Z" })).toBeNull();
    expect(toIsoUtc("2025-03-12T00:00:00Z", { notAfter: "2025-03-11T06:00:00Z" })).toBe(
      "2025-03-12T00:00:00.000Z",
    );
  });
});
