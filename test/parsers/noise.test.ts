import { describe, expect, it } from "vitest";
import { openDocument } from "../../src/parsers/engine/dom.js";
import { imageKey, largestFromSrcset, splitCaptionCredit } from "../../src/parsers/engine/images.js";
import { isDateline, isNoiseLine, removeBodyNoise } from "../../src/parsers/engine/noise.js";
import { precleanHtml } from "../../src/parsers/engine/preclean.js";
import {
  blockText,
  inlineText,
  inlineTextLength,
  linkedTextLength,
  shortTextOf,
  spacedWordsUpTo,
} from "../../src/parsers/engine/text.js";

function body(html: string): Element {
  const { document } = openDocument(
    `<html><body><div id="c">${html}</div></body></html>`,
    "https://example.org/",
    "tree",
  );
  return document.getElementById("c") as unknown as Element;
}

describe("body noise", () => {
  it("removes comment prompts and the Original URL line, and reports the URL", () => {
    const content = body(
      `<p>Story paragraph one is long enough.</p><p>Add your comment to this story</p><p>To join the conversation, please log in.</p><p>Original URL: <a href="https://www.theaustralian.com.au/x">https://www.theaustralian.com.au/x</a></p>`,
    );
    const noise = removeBodyNoise(content);
    expect(noise.originalUrls).toEqual(["https://www.theaustralian.com.au/x"]);
    expect(content.textContent).toBe("Story paragraph one is long enough.");
  });

  it("removes an Original URL line that opens the body, not the wrapper it opens", () => {
    const paragraphs = Array.from(
      { length: 30 },
      (_, i) => `<p>Paragraph ${i + 1} of the story carries enough words to read as running text.</p>`,
    ).join("");
    const content = body(
      `<section><p>Original URL: <a href="https://www.wsj.com/articles/x">https://www.wsj.com/articles/x</a></p>${paragraphs}</section>`,
    );
    const noise = removeBodyNoise(content);
    expect(noise.originalUrls).toEqual(["https://www.wsj.com/articles/x"]);
    expect(content.querySelectorAll("section p")).toHaveLength(30);
    expect(content.textContent?.startsWith("Paragraph 1 of the story")).toBe(true);
  });

  it("drops a related-story headline between paragraphs but keeps a linked sentence", () => {
    const content = body(
      `<p>First.</p><div><a href="/r">Russian drone attack on Dobropillia kills at least 11 people</a></div><p><a href="/s">A whole sentence that is a link.</a></p>`,
    );
    removeBodyNoise(content);
    expect(content.textContent).toBe("First.A whole sentence that is a link.");
  });

  it("recognises prompts and datelines but not story sentences", () => {
    expect(isNoiseLine("Join the conversation")).toBe(true);
    expect(isNoiseLine("Read more: What to know about the light rail plan")).toBe(true);
    expect(isNoiseLine("Readers joined the conversation about the plan last week.")).toBe(false);
    expect(isDateline("Updated March 9, 2025 2:44 pm ET")).toBe(true);
    expect(isDateline("March 10, 2025 - 8:22AM")).toBe(true);
    expect(isDateline("The council met on March 9, 2025 to vote.")).toBe(false);
  });
});

describe("images", () => {
  it("splits a printed credit from a caption", () => {
    expect(splitCaptionCredit("Zelensky and Putin. Picture: AFP", null)).toEqual({
      caption: "Zelensky and Putin.",
      credit: "AFP",
    });
    expect(
      splitCaptionCredit("A howitzer fires. Photo: Stringer/Reuters", "Photo: Stringer/Reuters"),
    ).toEqual({
      caption: "A howitzer fires.",
      credit: "Stringer/Reuters",
    });
  });

  it("picks the largest srcset candidate and keys CDN variants of one image together", () => {
    expect(largestFromSrcset("a.jpg 480w, b.jpg 1200w, c.jpg 800w")).toBe("b.jpg");
    expect(imageKey("https://images.wsj.net/im-95840213/social")).toBe(
      imageKey("https://images.wsj.net/im-95840213?width=700"),
    );
    expect(imageKey("https://x.org/uploads/2025/03/a.jpg")).not.toBe(
      imageKey("https://x.org/uploads/2025/03/b.jpg"),
    );
  });
});

describe("precleanHtml", () => {
  it("drops scripts, styles and comments but keeps JSON-LD and noscript images", () => {
    const out = precleanHtml(
      `<style>.a{width:calc(100% - #{$x})}</style><script>alert(1)</script><!-- c --><script type="application/ld+json">{"@type":"NewsArticle"}</script><noscript><img src="a.jpg"></noscript><noscript>Enable JS</noscript><p style="color:red">x</p><div style="display: none">hidden</div>`,
    );
    expect(out).toBe(
      `<script type="application/ld+json">{"@type":"NewsArticle"}</script><noscript><img src="a.jpg"></noscript><p>x</p><div hidden>hidden</div>`,
    );
  });
});

describe("tag lines", () => {
  it("treats a printed topic list as noise but not a sentence about tags", () => {
    expect(isNoiseLine("Tags calendario stock car 2018, stock car brasil, stock car interlagos")).toBe(true);
    expect(isNoiseLine("Tags: Light rail, Riverton City Council")).toBe(true);
    expect(isNoiseLine("Tags are sold at the front desk. Bring cash.")).toBe(false);
  });
});

describe("spacedWordsUpTo", () => {
  it("counts as split(' ') does, up to one past its cap", () => {
    for (const text of ["", "one", "one two", " lead", "trail ", "a  b", "a b c d e"])
      expect(spacedWordsUpTo(text, 10)).toBe(text.split(" ").length);
    expect(spacedWordsUpTo("a b c d e f", 3)).toBe(4);
    expect(spacedWordsUpTo("a b c", 3)).toBe(3);
  });
});

describe("shortTextOf", () => {
  it("collapses a short text, and gives nothing for a long one or one that fails the raw test", () => {
    const block = body("<p>  By\n   Jane   Doe </p>").firstElementChild;
    expect(shortTextOf(block, 20)).toBe("By Jane Doe");
    expect(shortTextOf(block, 5)).toBeNull();
    // Longer than the limit as written, within it once collapsed, and just past it.
    expect(shortTextOf(block, 11)).toBe("By Jane Doe");
    expect(shortTextOf(block, 10)).toBeNull();
    const spaced = body("<p>\u00a0\u2003a\u3000\u3000b\ufeff</p>").firstElementChild;
    expect(shortTextOf(spaced, 3)).toBe("a b");
    expect(shortTextOf(spaced, 2)).toBeNull();
    expect(shortTextOf(block, 20, /\bby\s/i)).toBe("By Jane Doe");
    expect(shortTextOf(block, 20, /[0-9]/)).toBeNull();
  });
});

describe("inlineTextLength and blockText", () => {
  it("measure and collapse text as inlineText and the reader's paragraphs do", () => {
    for (const html of [
      "<p>plain words</p>",
      "<p>\n  lead and  trail \t</p>",
      "<p>zero\u200bwidth\u00a0\u00a0and\u3000ideographic\ufeff</p>",
      "<p><b>bold</b>\n<i>italic</i> <a href=/x>  link </a></p>",
      "<p>   </p>",
    ]) {
      const block = body(html).firstElementChild;
      expect(inlineTextLength(block), html).toBe(inlineText(block).length);
    }
    expect(blockText(body("<p>one  two\u00a0three</p><p>four five</p>"))).toBe("one two three\n\nfour five");
    expect(linkedTextLength(body("<p><a href=/a> one  link </a> text <a href=/b>two</a></p>"))).toBe(
      "one link".length + "two".length,
    );
  });
});
