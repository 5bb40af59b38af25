import { describe, expect, it } from "vitest";
import { indexByName } from "../../../src/parsers/engine/name-index.js";
import type { SiteRule } from "../../../src/parsers/sites/types.js";
import { chooseBody } from "../../../src/parsers/stages/choose-body.js";
import { cleanPage } from "../../../src/parsers/stages/clean-page.js";
import { documentOf, prose } from "./support.js";

const rule = (body: string[]): SiteRule => ({
  hosts: ["example.org"],
  validFrom: "2025-01-01",
  publisher: "Example News",
  role: "origin",
  fields: {},
  body,
  clean: [".promo"],
});

describe("cleanPage", () => {
  it("removes the rule's clean selectors, subscribe prompts and page furniture, and spares the story", () => {
    const document = documentOf(
      `<nav>Home World Sport</nav><div class="promo">Win a car</div>
       <div class="paywall">Subscribe to continue reading</div>
       <main class="has-advertisement">${prose(8)}</main>`,
    );
    cleanPage(document, rule([]), indexByName(document.documentElement));
    const text = document.body.textContent ?? "";
    expect(text).not.toMatch(/Home World|Win a car|Subscribe/);
    expect(text).toContain("Paragraph 7 of the story");
  });
});

describe("chooseBody", () => {
  for (const engine of ["tree", "jsdom"] as const) {
    it(`takes the rule's container when it matches (${engine})`, () => {
      const document = documentOf(
        `<div class="story">${prose(6)}</div><aside>${prose(2, "sidebar")}</aside>`,
        "",
        engine,
      );
      const chosen = chooseBody(document, rule([".missing", ".story"]), false);
      expect(chosen.from).toBe("rule");
      expect(chosen.readability).toBeNull();
      expect(chosen.content?.textContent).toContain("Paragraph 5 of the story");
    });
  }

  it("with the fallback off, a broken body selector gives no body instead of Readability's", () => {
    const document = documentOf(`<article>${prose(10)}</article>`);
    const chosen = chooseBody(document, rule([".renamed-body"]), false);
    expect(chosen).toEqual({ content: null, from: null, readability: null, warning: null });
  });

  it("with the fallback on, a broken body selector falls back to Readability", () => {
    const document = documentOf(`<article>${prose(10)}</article>`);
    const chosen = chooseBody(document, rule([".renamed-body"]), true);
    expect(chosen.from).toBe("readability");
    expect(chosen.content?.textContent).toContain("Paragraph 9 of the story");
  });

  it("prefers the page's declared articleBody when Readability kept much less of it", () => {
    // Readability scores the three prose paragraphs and drops the list items that carry most of the text.
    const items = Array.from(
      { length: 15 },
      (_, i) => `<ul><li>Item ${i} of the story has a few words in it</li></ul>`,
    );
    const document = documentOf(
      `<article><div itemprop="articleBody"><div>${prose(3, "intro")}</div>${items.join("")}</div><div>${prose(1, "aside")}</div></article>`,
    );
    const chosen = chooseBody(document, null, true);
    expect(chosen.from).toBe("microdata");
    expect(chosen.readability).not.toBeNull();
    expect(chosen.content?.textContent).toContain("Item 14 of the story");
  });
});
