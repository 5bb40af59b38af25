import { describe, expect, it } from "vitest";
import { absoluteUrl, isScriptUrl } from "../../src/parsers/engine/images.js";
import { plainText } from "../../src/parsers/engine/plain-text.js";

describe("plainText", () => {
  it("strips elements and attributes that could run, keeps bracketed titles", () => {
    expect(plainText('Dam <img src=x onerror="alert(1)"> opens', 100)).toBe("Dam opens");
    expect(plainText("<b onmouseover=alert(1)>Jane Doe</b>", 100)).toBe("Jane Doe");
    expect(plainText("<x-widget data-a=1>Hi</x-widget>", 100)).toBe("Hi");
    expect(plainText("Watch <The Palace: Tale of Jang Noksu> tonight", 100)).toBe(
      "Watch <The Palace: Tale of Jang Noksu> tonight",
    );
    expect(plainText("a < b and c > d", 100)).toBe("a < b and c > d");
    expect(plainText("Dam <article> opens</article>", 100)).toBe("Dam opens");
    expect(plainText("Dek <img src=x onerror=alert(1)", 100)).toBe("Dek");
    expect(plainText("A <img src=x onerror=alert(1) b <i>c</i>", 100)).toBe("A c");
    expect(plainText('Copy \\u003csvg onload=alert(1)\\u003e and onclick="x()" end', 100)).toBe(
      "Copy \\u003csvg and end",
    );
    expect(plainText("<!-- Title", 100)).toBeNull();
    expect(plainText("Title <!-- rest", 100)).toBe("Title");
    const longTag = `<img src=x ${"data-x=1 ".repeat(500)}onerror=alert(1)>`;
    expect(plainText(`Dam ${longTag} opens`, 2_000)).toBe("Dam opens");
  });

  it("removes control characters and lone surrogates, folds white space, caps the length", () => {
    expect(plainText("Line\u0000one\u0007\n\ttwo\u200b \ud800", 100)).toBe("Lineone two");
    expect(plainText("Dam <\u001fimg src=x onerror=alert(1)> opens <\u200b/b>", 100)).toBe("Dam opens");
    expect(plainText("x".repeat(50), 10)).toBe(`${"x".repeat(9)}…`);
    expect(plainText(" <p></p> ", 10)).toBeNull();
  });

  it("does not decode entities a second time", () => {
    expect(plainText("Fish &amp; chips", 100)).toBe("Fish &amp; chips");
  });
});

describe("absoluteUrl", () => {
  it("gives absolute http(s) URLs only, however a script scheme is spelt", () => {
    const base = "https://news.example.org/a/story";
    expect(absoluteUrl("/img/a.jpg", base)).toBe("https://news.example.org/img/a.jpg");
    for (const bad of [
      "javascript:alert(1)",
      "java\tscript:alert(1)",
      " JAVASCRIPT:x",
      "data:image/png;base64,x",
      "file:///etc/passwd",
      "vbscript:x",
    ]) {
      expect(absoluteUrl(bad, base), bad).toBeNull();
    }
    expect(isScriptUrl("java\nscript:alert(1)")).toBe(true);
    expect(isScriptUrl("https://x.example")).toBe(false);
  });
});
