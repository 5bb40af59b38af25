import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { CopydeskError } from "../src/domain/errors.js";
import { EXTRACT_TIMEOUT_MS, loadExtractTimeoutMs } from "../src/extract-config.js";

describe("the extraction time limit setting", () => {
  it("defaults to the pool's limit when unset or blank, in the light reader and in the full config", () => {
    for (const env of [{}, { COPYDESK_EXTRACT_TIMEOUT_MS: "" }, { COPYDESK_EXTRACT_TIMEOUT_MS: "  " }]) {
      expect(loadExtractTimeoutMs(env)).toBe(5000);
      expect(loadConfig(env).extractTimeoutMs).toBe(5000);
    }
    expect(EXTRACT_TIMEOUT_MS).toBe(5000);
  });

  it("reads a positive whole number of milliseconds alike in both readers", () => {
    expect(loadExtractTimeoutMs({ COPYDESK_EXTRACT_TIMEOUT_MS: "1500" })).toBe(1500);
    expect(loadConfig({ COPYDESK_EXTRACT_TIMEOUT_MS: " 750 " }).extractTimeoutMs).toBe(750);
  });

  it.each(["0", "-1", "2.5", "5s", "1e400", "Infinity"])(
    "refuses %j with CONFIG_INVALID in both readers",
    (value) => {
      const env = { COPYDESK_EXTRACT_TIMEOUT_MS: value };
      for (const read of [() => loadExtractTimeoutMs(env), () => loadConfig(env)]) {
        let thrown: unknown;
        try {
          read();
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(CopydeskError);
        expect((thrown as CopydeskError).code).toBe("CONFIG_INVALID");
        expect((thrown as CopydeskError).message).toContain("COPYDESK_EXTRACT_TIMEOUT_MS");
      }
    },
  );
});
