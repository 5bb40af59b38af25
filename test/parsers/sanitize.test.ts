import { describe, expect, it } from "vitest";
import { openDocument } from "../../src/parsers/engine/dom.js";
import { sanitizeBody } from "../../src/parsers/engine/sanitize.js";

function clean(body: string, engine: "tree" | "jsdom"): string {
  const { document, close } = openDocument(
    `<html><body><article id="story">${body}</article></body></html>`,
    "https://example.org/story",
    engine,
  );
  try {
    return sanitizeBody(document.getElementById("story") as Element);
  } finally {
    close();
  }
}

describe("sanitizeBody writes the body tree out clean", () => {
  for (const engine of ["tree", "jsdom"] as const) {
    it(`keeps structure, links and images, and nothing that runs (${engine})`, () => {
      const html = clean(
        `<h1 class="x" onclick="steal()">Head</h1><p style="color:red" lang="en">One &amp; <b>two</b> &lt;3
         <a href="https://example.org/a" title="" onmouseover="x()">link</a>
         <a href="javascript:alert(1)">bad</a><a href="java&#9;script:alert(1)">tab</a>
         <a href="//evil.example/x">proto</a><a href="mailto:desk@example.org">mail</a></p>
         <img src="data:image/png;base64,AAAA" alt=""><img src="https://cdn.example/i.jpg" alt="An &quot;image&quot;" width="10" data-x="1">
         <div><span>unwrapped</span></div><form><input value="x"><textarea>never</textarea></form>`,
        engine,
      );
      expect(html).toContain("<h2>Head</h2>");
      expect(html).toContain('<p lang="en">One &amp; <b>two</b> &lt;3');
      expect(html).toContain('<a href="https://example.org/a">link</a>');
      expect(html).toContain("<a>bad</a><a>tab</a>");
      expect(html).toContain("<a>proto</a>");
      expect(html).toContain('<a href="mailto:desk@example.org">mail</a>');
      expect(html).toContain('<img alt="" />');
      expect(html).toContain('<img src="https://cdn.example/i.jpg" alt="An &quot;image&quot;" width="10" />');
      expect(html).toContain("unwrapped");
      expect(html).not.toMatch(
        /onclick|onmouseover|style=|class=|data-x|javascript|evil|<div|<span|<form|<input|never/,
      );
    });

    it(`leaves out a link with nothing in it but keeps one around an image, however deep (${engine})`, () => {
      const html = clean(
        `<p>Before <a href="/empty"> </a> after</p><figure><a href="/big"><span><img src="https://cdn.example/a.jpg" alt="a"></span></a></figure>`,
        engine,
      );
      expect(html).toBe(
        '<p>Before  after</p><figure><a href="/big"><img src="https://cdn.example/a.jpg" alt="a" /></a></figure>',
      );
    });
  }

  it("writes a block found inside a paragraph after it, as an HTML parser would read it", () => {
    const { document } = openDocument(
      "<html><body><article id=s></article></body></html>",
      "https://example.org/",
      "tree",
    );
    const article = document.getElementById("s") as Element;
    const paragraph = document.createElement("p");
    paragraph.append("Lead ", document.createElement("h2"), " ", document.createElement("ul"), "tail");
    (paragraph.querySelector("h2") as Element).textContent = "Sub";
    article.appendChild(paragraph);
    expect(sanitizeBody(article)).toBe("<p>Lead </p><h2>Sub</h2> <ul></ul><p>tail</p>");
  });
});
