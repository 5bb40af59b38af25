import { createRequire } from "node:module";
import type * as Jsdom from "jsdom";
import { parseTree } from "./tree/parse-tree.js";

/**
 * Two DOMs behind one door. jsdom is the reference implementation; "tree" (./tree/) is an
 * array-backed DOM built straight from htmlparser2's events, many times faster and smaller, so it
 * is the default on the hot path (docs/BENCHMARKS.md compares both on the same pages, and every
 * fixture is checked on both). Whoever opens a document closes it.
 */
export type DomEngine = "tree" | "jsdom";

export interface OpenedDocument {
  document: Document;
  close(): void;
}

/** jsdom is the reference DOM, not the hot path: loaded on first use (it costs ~1.4 s to import). */
let jsdom: { module: typeof Jsdom; quietConsole: Jsdom.VirtualConsole } | null = null;
function loadJsdom(): NonNullable<typeof jsdom> {
  if (!jsdom) {
    const module = createRequire(import.meta.url)("jsdom") as typeof Jsdom;
    jsdom = { module, quietConsole: new module.VirtualConsole() };
  }
  return jsdom;
}

export function openDocument(html: string, url: string, engine: DomEngine): OpenedDocument {
  if (engine === "jsdom") {
    // Scripts stay off (jsdom's default) and no sub-resource is ever loaded.
    const { module, quietConsole } = loadJsdom();
    const dom = new module.JSDOM(html, { url, contentType: "text/html", virtualConsole: quietConsole });
    return { document: dom.window.document, close: () => dom.window.close() };
  }
  // A truncated root tag ("<html "), or "<html>" only inside a script of a fragment, leaves the
  // parser without an <html> root: read the page as a fragment instead, as a browser would.
  let document = parseTree(ensureDocumentShell(html), url) as unknown as Document;
  if (document.documentElement?.tagName !== "HTML")
    document = parseTree(wrapInShell(html), url) as unknown as Document;
  ensureBody(document);
  return { document, close: () => {} };
}

const HEAD_CONTENT = new Set(["TITLE", "META", "LINK", "SCRIPT", "STYLE", "BASE", "NOSCRIPT", "TEMPLATE"]);

/**
 * A page without a <body> (content left in <head>, a frameset) gets one, holding what a browser
 * would have put in it: htmlparser2 keeps such content in <head>, where no body extractor looks.
 */
function ensureBody(document: Document): void {
  const root = document.documentElement;
  if (!root) return;
  const children = Array.from(root.children);
  if (children.some((child) => child.tagName.toUpperCase() === "BODY")) return;
  const head = children.find((child) => child.tagName.toUpperCase() === "HEAD");
  const body = document.body ?? root.appendChild(document.createElement("body"));
  if (!head) return;
  for (const node of Array.from(head.childNodes)) {
    if (node.nodeType === 1 && HEAD_CONTENT.has((node as Element).tagName.toUpperCase())) continue;
    body.appendChild(node);
  }
}

/** The tree needs an <html> root holding head and body; fragments are wrapped like browsers do. */
function ensureDocumentShell(html: string): string {
  return /<html[\s>]/i.test(html) ? html : wrapInShell(html);
}

function wrapInShell(html: string): string {
  return `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
}
