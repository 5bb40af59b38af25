import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { openDocument } from "../../src/parsers/engine/dom.js";

/**
 * patches/linkedom+0.18.15.patch: linkedom gave every node a WeakMap entry and a Map for its event
 * listeners when it was made; the patch makes them when a listener is first added (bench:quality,
 * docs/BENCHMARKS.md). Events must still work on the nodes that have listeners.
 */
describe("linkedom events after the lazy-listener patch", () => {
  it("adds, dispatches, bubbles and removes listeners", () => {
    const { document, close } = openDocument(
      "<html><body><div id=outer><p id=inner>Text</p></div></body></html>",
      "https://example.org/a",
      "linkedom",
    );
    try {
      const outer = document.getElementById("outer") as Element;
      const inner = document.getElementById("inner") as Element;
      const seen: string[] = [];
      const onInner = () => seen.push("inner");
      inner.addEventListener("ping", onInner);
      outer.addEventListener("ping", () => seen.push("outer"));
      const Event = document.defaultView?.Event ?? globalThis.Event;
      inner.dispatchEvent(new Event("ping", { bubbles: true }));
      expect(seen).toEqual(["inner", "outer"]);
      inner.removeEventListener("ping", onInner);
      // Removing from a node that never had a listener is a no-op, as in a browser.
      document.body?.removeEventListener("ping", onInner);
      inner.dispatchEvent(new Event("ping"));
      expect(seen).toEqual(["inner", "outer"]);
    } finally {
      close();
    }
  });

  it("is applied to the installed linkedom (npm's postinstall runs patch-package)", () => {
    const require = createRequire(import.meta.url);
    const source = readFileSync(
      require.resolve("linkedom/package.json").replace("package.json", "esm/interface/event-target.js"),
      "utf8",
    );
    expect(source).toContain("if (!map) wm.set(this, map = new Map);");
  });
});
