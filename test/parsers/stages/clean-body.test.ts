import { describe, expect, it } from "vitest";
import { collectCaptions } from "../../../src/parsers/engine/images.js";
import { cleanBody } from "../../../src/parsers/stages/clean-body.js";
import { documentOf, PAGE_URL, prose } from "./support.js";

const header = { title: "Dam opens", standfirst: null, byline: "By Ann Lee", section: null };

describe("cleanBody", () => {
  for (const engine of ["tree", "jsdom"] as const) {
    it(`removes noise, header echoes, credits and repeated captions, and returns the syndication lines (${engine})`, () => {
      const document = documentOf(
        `<article>
          <p>The Wall Street Journal</p>
          <h1>Dam opens</h1><p>By Ann Lee</p>
          <figure><img src="/i/dam-123456.jpg"><figcaption>The dam at dawn.</figcaption></figure>
          <p>The dam at dawn.</p>
          ${prose(4)}
          <p>Join the conversation</p>
          <p><a href="/other">Another story the site wants you to read</a></p>
          <p>Original URL: <a href="https://www.example.com/dam">https://www.example.com/dam</a></p>
        </article>`,
        "",
        engine,
      );
      const content = document.querySelector("article");
      const captions = collectCaptions(document, PAGE_URL);
      const lines = cleanBody(content, header, captions);
      expect(lines).toEqual({
        originalUrls: ["https://www.example.com/dam"],
        creditLines: ["The Wall Street Journal"],
      });
      const paragraphs = Array.from(content?.querySelectorAll("p") ?? []).map((p) => p.textContent);
      expect(paragraphs).toEqual(
        Array.from(
          { length: 4 },
          (_, i) => `Paragraph ${i} of the story has enough words to be read as prose by anyone.`,
        ),
      );
      expect(content?.querySelector("figcaption")?.textContent).toBe("The dam at dawn.");
    });
  }

  it("has nothing to say without a body", () => {
    expect(cleanBody(null, header, new Map())).toEqual({ originalUrls: [], creditLines: [] });
  });
});
