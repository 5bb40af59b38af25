import { createRequire } from "node:module";
import type * as Jsdom from "jsdom";
import { parseHTML } from "linkedom";

/**
 * Two DOMs behind one door. jsdom is the reference implementation; linkedom builds the same tree
 * several times faster and with a fraction of the memory, so it is the default on the hot path
 * (docs/BENCHMARKS.md compares both on the same pages). Whoever opens a document closes it.
 */
export type DomEngine = "linkedom" | "jsdom";

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
  let { document } = parseHTML(ensureDocumentShell(html)) as unknown as { document: Document };
  // A truncated root tag ("<html ") leaves linkedom without a root element: read the page as a
  // fragment instead, as a browser would.
  if (!document.documentElement)
    document = (parseHTML(wrapInShell(html)) as unknown as { document: Document }).document;
  ensureBody(document);
  return { document, close: () => {} };
}

const HEAD_CONTENT = new Set(["TITLE", "META", "LINK", "SCRIPT", "STYLE", "BASE", "NOSCRIPT", "TEMPLATE"]);

/**
 * A page without a <body> (content left in <head>, a frameset) gets one, holding what a browser
 * would have put in it: linkedom keeps such content in <head>, where no body extractor looks (and
 * its document.body makes up an empty body rather than say there is none).
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

/** linkedom needs an <html> root to build head and body; fragments are wrapped like browsers do. */
function ensureDocumentShell(html: string): string {
  return /<html[\s>]/i.test(html) ? html : wrapInShell(html);
}

function wrapInShell(html: string): string {
  return `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
}
