import { Readability } from "@mozilla/readability";
import { describe, expect, it } from "vitest";
import { openDocument } from "../../src/parsers/engine/dom.js";

const URL = "https://example.org/news/story.html";

function both(html: string): { tree: Document; jsdom: Document; close(): void } {
  const tree = openDocument(html, URL, "tree");
  const jsdom = openDocument(html, URL, "jsdom");
  return { tree: tree.document, jsdom: jsdom.document, close: () => jsdom.close() };
}

/** The array tree answers as the reference DOM (jsdom) does on markup both parse alike. */
describe("array tree against jsdom", () => {
  const pages = [
    '<p class="a" id="x">One &amp; two &lt;three&gt; &copy;&nbsp;four</p><img alt="a &quot;b&quot; &amp; c" src="/i.jpg">',
    "<ul><li>one<li>two</ul><p>para<div>block</div>",
    "<div><p>a<br>b</p><span>c</span> d</div><hr><dl><dt>term<dd>definition</dl>",
    '<table><tbody><tr><td>cell</td></tr></tbody></table><a href="x.html" title="t">link</a>',
    "<h1>Title</h1><P CLASS=Upper DATA-X=1>Upper-case tags and attributes</P>",
    '<p class="first" class="second">duplicate attributes: the first wins</p>',
  ];
  for (const html of pages) {
    it(`serialises ${JSON.stringify(html.slice(0, 40))}… as jsdom does`, () => {
      const { tree, jsdom, close } = both(
        `<!DOCTYPE html><html><head><title> A  title </title></head><body>${html}</body></html>`,
      );
      try {
        expect(tree.body?.innerHTML).toBe(jsdom.body?.innerHTML);
        expect(tree.body?.textContent).toBe(jsdom.body?.textContent);
        expect(tree.title).toBe(jsdom.title);
        expect(tree.body?.querySelectorAll("*").length).toBe(jsdom.body?.querySelectorAll("*").length);
      } finally {
        close();
      }
    });
  }

  it("answers selectors, closest, matches and tag lists as jsdom does", () => {
    const { tree, jsdom, close } = both(
      `<html><head><meta property="og:title" content="T"></head><body><article class="story main"><h2>Head</h2>
       <div class="body"><p>One</p><p class="x">Two <a href="/a">link</a></p></div><aside><p>Side</p></aside></article></body></html>`,
    );
    try {
      const selectors = [
        "p",
        "article > h2",
        "div.body p.x a[href]",
        "p:not(.x)",
        "[class~=main] p",
        "meta[property='og:title']",
        "aside p, h2",
        "article p:first-child",
        "div:has(> p.x)",
        // Selectors whose every group ends in a tag or an attribute, which the tree checks first, and some
        // that do not.
        "P.x A, ASIDE > p",
        "article a[href='/a'], aside p, [class~=main] h2",
        "h2 ~ div p, h2 + div",
        "p, .body",
        "*:not(p) > a",
        "[class*=ody] p, [href], [CLASS~=story] > h2",
        "div [class], p:not([class])",
        "article *:first-child",
      ];
      for (const selector of selectors) {
        const names = (doc: Document) =>
          Array.from(doc.querySelectorAll(selector)).map(
            (element) => `${element.tagName}:${element.textContent}`,
          );
        expect(names(tree), selector).toEqual(names(jsdom));
      }
      const link = (doc: Document) => doc.querySelector("a") as Element;
      expect(link(tree).closest("div")?.className).toBe(link(jsdom).closest("div")?.className);
      expect(link(tree).matches("article a")).toBe(true);
      expect(link(tree).matches("aside a, div a")).toBe(true);
      expect(link(tree).matches("aside p, div p")).toBe(false);
      expect(link(tree).closest("nav")).toBeNull();
      expect(tree.getElementsByTagName("P").length).toBe(jsdom.getElementsByTagName("P").length);
      expect(tree.getElementsByClassName("story main").length).toBe(1);
      expect(() => tree.querySelector("p[")).toThrow();
    } finally {
      close();
    }
  });
});

describe("what the array tree leaves out as it is built", () => {
  it("drops scripts, styles, SVG, frames and comments, keeps JSON-LD and a <noscript> image", () => {
    const { document } = openDocument(
      `<html><head><script>var a = "<p>not text</p>";</script><style>p { color: red }</style>
       <script type="application/ld+json">{"@type":"NewsArticle"}</script></head><body>
       <p>Story<!-- a comment --> text</p><svg><text>chart</text></svg><iframe src="/ad"></iframe>
       <template><p>later</p></template><object data="x"><p>fallback</p></object>
       <noscript><img src="/real.jpg" alt="real"></noscript><noscript><p>Enable JavaScript</p></noscript>
       <div style="display: none">hidden text</div><div style="color: red">shown</div></body></html>`,
      URL,
      "tree",
    );
    expect(document.querySelectorAll("script").length).toBe(1);
    expect(document.querySelector("script")?.textContent).toBe('{"@type":"NewsArticle"}');
    expect(document.querySelectorAll("style, svg, iframe, template, object").length).toBe(0);
    expect(document.querySelector("p")?.innerHTML).toBe("Story text");
    expect(document.querySelectorAll("noscript").length).toBe(1);
    expect(document.querySelector("noscript img")?.getAttribute("src")).toBe("/real.jpg");
    const [hidden, shown] = Array.from(document.querySelectorAll("div"));
    expect(hidden?.hasAttribute("hidden")).toBe(true);
    expect(hidden?.hasAttribute("style")).toBe(false);
    expect(shown?.outerHTML).toBe("<div>shown</div>");
    expect(document.body?.textContent).not.toMatch(/not text|chart|later|fallback|Enable JavaScript/);
  });
});

describe("attributes as the array tree reads them", () => {
  it("keeps the first of two same-named attributes, and a hiding style becomes hidden in its place", () => {
    const { document } = openDocument(
      `<html><body>
       <p id=a class="one" class="two" style="display:none" style="color: red" data-x=1>a</p>
       <p id=b style="color: red" style="display:none">b</p>
       <p id=c style="visibility: hidden" hidden="until-found" title="t">c</p>
       <p id=d hidden="until-found" style="display:none">d</p>
       <script data-id="x" TYPE="application/ld+json">{"@type":"NewsArticle"}</script>
       <script data-id="y">var x = 1;</script></body></html>`,
      URL,
      "tree",
    );
    const attributes = (id: string) =>
      Array.from((document.getElementById(id) as Element).attributes, (attr) => `${attr.name}=${attr.value}`);
    expect(attributes("a")).toEqual(["id=a", "class=one", "hidden=", "data-x=1"]);
    expect(attributes("b")).toEqual(["id=b"]);
    expect(attributes("c")).toEqual(["id=c", "hidden=until-found", "title=t"]);
    expect(attributes("d")).toEqual(["id=d", "hidden=until-found"]);
    expect(
      Array.from(document.querySelectorAll("script"), (script) => script.getAttribute("data-id")),
    ).toEqual(["x"]);
  });
});

describe("markup that ends inside a tag", () => {
  it("leaves out the start tag it ends in, as a browser does, and keeps one that ended", () => {
    for (const end of ['<div class="x', '<div class="x"', "<div class=x", "<div"]) {
      const { document } = openDocument(`<html><body><p>Story.</p>${end}`, URL, "tree");
      expect(document.body?.innerHTML, end).toBe("<p>Story.</p>");
    }
    const { document } = openDocument('<html><body><p>Story.</p><div class="x">', URL, "tree");
    expect(document.body?.innerHTML).toBe('<p>Story.</p><div class="x"></div>');
  });
});

describe("a page without its own <html> root", () => {
  it('is read as a fragment, even when "<html>" is only in a script', () => {
    const html = '<script>document.write("<html>")</script><p>Only a fragment of a page.</p>';
    const { document } = openDocument(html, URL, "tree");
    expect(document.documentElement?.tagName).toBe("HTML");
    expect(document.body?.querySelector("p")?.textContent).toBe("Only a fragment of a page.");
  });
});

describe("array tree mutations", () => {
  function page(body: string): Document {
    return openDocument(`<html><head></head><body>${body}</body></html>`, URL, "tree").document;
  }

  it("answers a selector asked again after the tree changed as the changed tree is", () => {
    const document = page('<div id="x"><p class="t">text</p></div><article id="a"></article>');
    expect(document.querySelectorAll("article div p")).toHaveLength(0);
    (document.getElementById("a") as Element).appendChild(document.getElementById("x") as Element);
    expect(document.querySelectorAll("article div p")).toHaveLength(1);
    expect((document.querySelector("p.t") as Element).closest("article div")?.id).toBe("x");
  });

  it("keeps sibling links and child lists in step through insert, move, replace and remove", () => {
    const document = page("<div id=a><p id=p1>1</p><p id=p2>2</p><p id=p3>3</p></div><div id=b></div>");
    const a = document.getElementById("a") as Element;
    const b = document.getElementById("b") as Element;
    const [p1, p2, p3] = ["p1", "p2", "p3"].map((id) => document.getElementById(id) as Element) as [
      Element,
      Element,
      Element,
    ];
    b.appendChild(p2);
    expect(p1.nextSibling).toBe(p3);
    expect(p3.previousSibling).toBe(p1);
    expect(p2.parentNode).toBe(b);
    expect(Array.from(a.children).map((child) => child.id)).toEqual(["p1", "p3"]);
    a.insertBefore(p2, p1);
    expect(Array.from(a.childNodes).map((child) => (child as Element).id)).toEqual(["p2", "p1", "p3"]);
    expect(b.firstChild).toBeNull();
    const span = document.createElement("span");
    a.replaceChild(span, p1);
    expect(p2.nextElementSibling).toBe(span);
    expect(span.nextElementSibling).toBe(p3);
    expect(p1.parentNode).toBeNull();
    p3.remove();
    expect(a.lastElementChild).toBe(span);
    expect(a.childElementCount).toBe(2);
    span.replaceWith("text", p3);
    expect(a.innerHTML).toBe('<p id="p2">2</p>text<p id="p3">3</p>');
    expect(() => p3.appendChild(a)).toThrow();
  });

  it("answers whole-document queries from the tree as it is now, after any change to its shape", () => {
    const document = page("<div id=a><p class=x>1</p></div><div id=b></div>");
    const ids = () =>
      Array.from(document.querySelectorAll("p.x, span.x")).map((element) => element.textContent);
    expect(ids()).toEqual(["1"]);
    const b = document.getElementById("b") as Element;
    b.innerHTML = '<span class="x">2</span>';
    expect(ids()).toEqual(["1", "2"]);
    b.insertBefore(document.querySelector("p.x") as Element, b.firstChild);
    expect(ids()).toEqual(["1", "2"]);
    expect(document.querySelector("#a p")).toBeNull();
    (document.querySelector("span.x") as Element).remove();
    expect(ids()).toEqual(["1"]);
    expect(document.getElementsByTagName("SPAN").length).toBe(0);
    b.textContent = "";
    expect(document.querySelector(".x")).toBeNull();
    expect(Array.from(document.getElementsByTagName("*"), (element) => element.tagName)).toEqual([
      "HTML",
      "HEAD",
      "BODY",
      "DIV",
      "DIV",
    ]);
  });

  it("takes a `children` list when asked: later changes do not reach a list already taken", () => {
    const document = page("<div id=a><p>1</p><p>2</p></div>");
    const a = document.getElementById("a") as Element;
    const before = a.children;
    a.appendChild(document.createElement("p"));
    expect(before.length).toBe(2);
    expect(a.children.length).toBe(3);
  });

  it("sets text and markup, and clones deep or shallow", () => {
    const document = page("<div id=a class=c><p>old</p></div>");
    const a = document.getElementById("a") as Element;
    a.innerHTML = "<b>bold</b> &amp; <i>it</i>";
    expect(a.textContent).toBe("bold & it");
    expect(a.querySelector("i")?.parentElement).toBe(a);
    const deep = a.cloneNode(true) as Element;
    const shallow = a.cloneNode(false) as Element;
    expect(deep.outerHTML).toBe('<div id="a" class="c"><b>bold</b> &amp; <i>it</i></div>');
    expect(shallow.outerHTML).toBe('<div id="a" class="c"></div>');
    expect(deep.parentNode).toBeNull();
    a.textContent = "<plain>";
    expect(a.innerHTML).toBe("&lt;plain&gt;");
    expect(a.childNodes.length).toBe(1);
  });

  it("answers class and id, and selectors on them, as they are now, once they have been read", () => {
    const document = page("<p id=x class=a>1</p><p>2</p>");
    const [first, second] = Array.from(document.querySelectorAll("p")) as unknown as [Element, Element];
    expect([first.getAttribute("class"), first.getAttribute("id"), second.getAttribute("class")]).toEqual([
      "a",
      "x",
      null,
    ]);
    first.setAttribute("class", "b");
    second.setAttribute("class", "a");
    second.setAttribute("ID", "y");
    expect([first.className, second.className, second.id]).toEqual(["b", "a", "y"]);
    expect(Array.from(document.querySelectorAll(".a"), (p) => p.textContent)).toEqual(["2"]);
    second.removeAttribute("class");
    first.removeAttribute("id");
    expect([second.getAttribute("class"), first.getAttribute("id"), document.querySelector("#x")]).toEqual([
      null,
      null,
      null,
    ]);
    const copy = first.cloneNode(false) as Element;
    copy.setAttributeNode(second.attributes[0] as Attr);
    expect([copy.getAttribute("class"), copy.getAttribute("id")]).toEqual(["b", "y"]);
  });

  it("gives an element's current text after any change below it, once its text has been read", () => {
    const document = page(
      "<article><div><p>one <b>two</b></p><p>three</p></div><aside>four</aside></article>",
    );
    const article = document.querySelector("article") as Element;
    const bold = document.querySelector("b") as Element;
    const inner = document.querySelector("div") as Element;
    expect(article.textContent).toBe("one twothreefour");
    expect(inner.textContent).toBe("one twothree");
    (bold.firstChild as Text).data = "2";
    expect(article.textContent).toBe("one 2threefour");
    bold.remove();
    expect(inner.textContent).toBe("one three");
    expect(article.textContent).toBe("one threefour");
    (document.querySelector("aside") as Element).innerHTML = "<i>five</i>";
    expect(article.textContent).toBe("one threefive");
    inner.appendChild(bold);
    expect(article.textContent).toBe("one three2five");
    (document.querySelector("p") as Element).textContent = "";
    expect(article.textContent).toBe("three2five");
    expect(bold.textContent).toBe("2");
  });

  it("copies a whole document into nodes of the copy, which answers its own queries", () => {
    const document = page("<p id=a>one</p>");
    const copy = document.cloneNode(true) as Document;
    expect(copy.querySelector("#a")?.textContent).toBe("one");
    (copy.querySelector("#a") as Element).remove();
    expect(copy.querySelector("#a")).toBeNull();
    expect(document.querySelector("#a")?.ownerDocument).toBe(document);
    expect(copy.body?.ownerDocument).toBe(copy);
  });

  it("moves a node inserted from another document into this one", () => {
    const document = page("<div id=a></div>");
    const other = page("<p id=moved><b>bold</b></p>");
    const moved = other.getElementById("moved") as Element;
    (document.getElementById("a") as Element).appendChild(moved);
    expect(moved.ownerDocument).toBe(document);
    expect(moved.firstElementChild?.ownerDocument).toBe(document);
    expect(document.querySelector("#moved b")?.textContent).toBe("bold");
    (moved.firstElementChild as Element).remove();
    expect(document.querySelector("#moved b")).toBeNull();
    expect(other.querySelector("#moved")).toBeNull();
  });

  it("resolves the base URI from <base href>, against the page's address", () => {
    const based = openDocument(
      '<html><head><base href="/archive/"></head><body></body></html>',
      URL,
      "tree",
    ).document;
    expect(based.baseURI).toBe("https://example.org/archive/");
    expect(based.documentURI).toBe(URL);
    expect(page("").baseURI).toBe(URL);
  });
});

describe("Readability on the array tree", () => {
  it("sets its scores into fields every element already has, so all elements keep one shape", () => {
    const paragraphs = Array.from(
      { length: 6 },
      (_, i) => `<p>Paragraph ${i}, long enough to be scored, with commas, clauses, and words.</p>`,
    ).join("");
    const { document } = openDocument(
      `<html><head><title>T</title></head><body><nav><a href="/">Home</a></nav><div class="story">${paragraphs}<table><tr><td>1</td></tr></table></div></body></html>`,
      URL,
      "tree",
    );
    const article = new Readability(document).parse();
    expect(article?.textContent).toContain("Paragraph 5");
    const scored = Array.from(document.querySelectorAll("*")).filter(
      (element) => (element as unknown as { readability?: unknown }).readability !== undefined,
    );
    expect(scored.length).toBeGreaterThan(0);
    // The same own properties in the same order is what gives V8's objects one hidden class.
    const shapes = new Set(
      Array.from(document.querySelectorAll("*"), (element) => Object.keys(element).join(",")),
    );
    expect([...shapes]).toHaveLength(1);
  });
});
