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

/** String concatenation, not an array of parts: V8 joins the pieces lazily and flattens once. */
function write(node: TreeNode): string {
  switch (node.nodeType) {
    case 1: {
      const element = node as TreeElement;
      let out = `<${element.localName}`;
      for (const attr of element.attributes)
        out += ` ${attr.name}="${escapeWith(attr.value, ATTRIBUTE_SPECIALS)}"`;
      out += ">";
      if (element.isVoid) return out;
      for (const child of element.childNodes) out += write(child);
      return `${out}</${element.localName}>`;
    }
    case 3: {
      const text = (node as TreeText).raw;
      const parent = node.parentElement;
      return parent && RAW_TEXT_PARENTS.has(parent.localName) ? text : escapeWith(text, TEXT_SPECIALS);
    }
    case 8:
      return `<!--${(node as TreeText).raw}-->`;
    default: {
      let out = "";
      for (const child of (node as TreeElement).childNodes ?? []) out += write(child);
      return out;
    }
  }
}

export function serializeNode(node: TreeNode): string {
  return write(node);
}

export function serializeChildren(element: TreeElement): string {
  let out = "";
  for (const child of element.childNodes) out += write(child);
  return out;
}
