import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  caseRandom,
  hostileSize,
  injectIntoBody,
  injectIntoHead,
  MUTATORS,
  mutatorNamed,
  pickMutator,
} from "../../bench/lib/mutate.js";
import { seededRandom } from "../../bench/lib/seeded-random.js";

const PAGE = readFileSync(
  new URL("../../fixtures/sites/example-news.com/multiple-authors/source.html", import.meta.url),
  "utf8",
);
const SMALL = 0.01;

function mutateWith(name: string, seed: number, scale = SMALL) {
  const mutator = mutatorNamed(name);
  if (!mutator) throw new Error(`no mutator ${name}`);
  return mutator.mutate(PAGE, { random: seededRandom(seed), scale });
}

describe("mutators", () => {
  it("give the same page for the same seed, and other pages for other seeds", () => {
    for (const mutator of MUTATORS) {
      const first = mutateWith(mutator.name, 42);
      expect(mutateWith(mutator.name, 42), mutator.name).toEqual(first);
      const others = [1, 2, 3, 4, 5].map((seed) => mutateWith(mutator.name, seed).html);
      expect(
        others.some((html) => html !== first.html),
        mutator.name,
      ).toBe(true);
      expect(first.variant, mutator.name).not.toBe("");
    }
  });

  it("change the page they are given", () => {
    for (const mutator of MUTATORS) {
      const changed = [1, 2, 3, 4, 5, 6, 7, 8].filter((seed) => mutateWith(mutator.name, seed).html !== PAGE);
      expect(changed.length, mutator.name).toBeGreaterThanOrEqual(6);
    }
  });

  it("truncate inside the root tag as a cut-off fetch does", () => {
    const roots = Array.from({ length: 200 }, (_, seed) => mutateWith("truncate", seed)).filter(
      (mutation) => mutation.variant === "root-tag",
    );
    expect(roots.length).toBeGreaterThan(0);
    for (const { html } of roots) expect(html).toMatch(/<html ?.?$/i);
  });

  it("flip bytes and decode them the way the fetcher does", () => {
    const boms = Array.from({ length: 200 }, (_, seed) => mutateWith("byte-flip", seed)).filter(
      (mutation) => mutation.variant === "bom",
    );
    expect(boms.length).toBeGreaterThan(0);
    // A UTF-16 byte-order mark in front of UTF-8 bytes decodes to text that is no longer the page.
    expect(boms.some(({ html }) => !html.includes("<html"))).toBe(true);
  });

  it("build hostile pages at the full sizes the limits were designed for", () => {
    const sizes = Array.from({ length: 8 }, (_, seed) => mutateWith("deep-nesting", seed, 1).variant);
    for (const variant of sizes) {
      const depth = Number(/×(\d+)/.exec(variant)?.[1]);
      expect(depth).toBeGreaterThanOrEqual(20_000);
      expect(depth).toBeLessThanOrEqual(60_000);
    }
    expect(sizes.some((variant) => variant.includes("×60000"))).toBe(true);
  });

  it("scale hostile sizes down for quick cases, never to zero", () => {
    const random = seededRandom(7);
    for (let i = 0; i < 100; i++) {
      const size = hostileSize({ random, scale: SMALL }, 20_000, 60_000);
      expect(size).toBeGreaterThanOrEqual(200);
      expect(size).toBeLessThanOrEqual(600);
    }
    expect(hostileSize({ random, scale: 0.000_001 }, 10, 20)).toBe(1);
  });
});

describe("cases of a run", () => {
  it("come from a stream of their own: case 7 is the same whichever cases ran before", () => {
    const draws = (seed: number, index: number) => Array.from({ length: 4 }, caseRandom(seed, index));
    expect(draws(1, 7)).toEqual(draws(1, 7));
    expect(draws(1, 7)).not.toEqual(draws(1, 8));
    expect(draws(1, 7)).not.toEqual(draws(2, 7));
  });

  it("draw mutators in proportion to their weights: hostile ones are a few percent", () => {
    const total = MUTATORS.reduce((sum, mutator) => sum + mutator.weight, 0);
    expect(total).toBe(10_000);
    const random = seededRandom(3);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const name = pickMutator(random, MUTATORS).name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const mutator of MUTATORS) {
      const expected = (mutator.weight / total) * 20_000;
      expect(counts.get(mutator.name) ?? 0, mutator.name).toBeGreaterThan(expected * 0.7);
      expect(counts.get(mutator.name) ?? 0, mutator.name).toBeLessThan(expected * 1.3);
    }
  });
});

describe("injection", () => {
  it("puts head fragments inside <head>, body fragments between tags of the body", () => {
    expect(injectIntoHead("<html><HEAD lang=x><title>t</title>", "<meta x>")).toBe(
      "<html><HEAD lang=x><meta x><title>t</title>",
    );
    expect(injectIntoHead("<p>no head</p>", "<meta x>")).toBe("<meta x><p>no head</p>");
    const page = "<html><body><p>one</p><p>two</p></body></html>";
    for (let seed = 0; seed < 20; seed++) {
      const out = injectIntoBody(page, "<hr>", seededRandom(seed));
      expect(out.replace("<hr>", "")).toBe(page);
      expect(out.indexOf("<hr>")).toBeGreaterThan(page.indexOf("<body>"));
      expect(out.indexOf("<hr>")).toBeLessThanOrEqual(out.indexOf("</body>"));
    }
    expect(injectIntoBody("<p>x", "<hr>", seededRandom(1))).toBe("<p>x<hr>");
  });
});
