import type { TreeElement, TreeNode, TreeText } from "./nodes.js";

/**
 * HTML serialisation as the HTML standard defines it for innerHTML and outerHTML: attribute values
 * in double quotes, text escaped except inside raw-text elements, no end tag for void elements.
 */
const RAW_TEXT_PARENTS = new Set(["style", "script", "xmp", "iframe", "noembed", "noframes", "plaintext"]);

const TEXT_SPECIALS = /[&<>\u00a0]/g;
const ATTRIBUTE_SPECIALS = /[&"<>\u00a0]/g;
const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "\u00a0": "&nbsp;",
};

function escapeWith(text: string, specials: RegExp): string {
  specials.lastIndex = 0;
  return specials.test(text) ? text.replace(specials, (char) => ESCAPES[char] as string) : text;
}

function write(node: TreeNode, out: string[]): void {
  switch (node.nodeType) {
    case 1: {
      const element = node as TreeElement;
      out.push("<", element.localName);
      for (const attr of element.attributes)
        out.push(" ", attr.name, '="', escapeWith(attr.value, ATTRIBUTE_SPECIALS), '"');
      out.push(">");
      if (element.isVoid) return;
      for (const child of element.childNodes) write(child, out);
      out.push("</", element.localName, ">");
      return;
    }
    case 3: {
      const text = (node as TreeText).data;
      const parent = node.parentElement;
      out.push(parent && RAW_TEXT_PARENTS.has(parent.localName) ? text : escapeWith(text, TEXT_SPECIALS));
      return;
    }
    case 8:
      out.push("<!--", (node as TreeText).data, "-->");
      return;
    default:
      for (const child of (node as TreeElement).childNodes ?? []) write(child, out);
  }
}

export function serializeNode(node: TreeNode): string {
  const out: string[] = [];
  write(node, out);
  return out.join("");
}

export function serializeChildren(element: TreeElement): string {
  const out: string[] = [];
  for (const child of element.childNodes) write(child, out);
  return out.join("");
}
