import type { Page } from "playwright-core";

export interface LayoutSpec {
  /** Boxes whose content must fit their width (scrollWidth ≤ clientWidth). */
  fit: string[];
  /** Containers whose visible children must not overlap one another. */
  apart: string[];
  /** Containers whose every line of text must lie inside them and inside the viewport. */
  contain: string[];
}

/**
 * What is wrong with the page's layout as it is drawn now, one line per problem: a horizontal
 * scrollbar, a box whose content is wider than it, overlapping siblings, text outside its box or
 * the viewport. Measured in the browser, with a pixel of slack for subpixel rounding.
 */
export async function layoutProblems(page: Page, spec: LayoutSpec): Promise<string[]> {
  return page.evaluate((spec) => {
    const slack = 1;
    const problems: string[] = [];
    const viewport = document.documentElement.clientWidth;
    const name = (element: Element) => {
      const text = (element.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
      return `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).replace(/ /g, ".")}` : ""} "${text}"`;
    };
    const visible = (rect: DOMRect) => rect.width > 0 && rect.height > 0;

    if (document.documentElement.scrollWidth > viewport + slack) {
      problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${viewport}`);
    }
    for (const selector of spec.fit) {
      for (const element of document.querySelectorAll(selector)) {
        if (element.scrollWidth > element.clientWidth + slack) {
          problems.push(`${name(element)} overflows: ${element.scrollWidth} > ${element.clientWidth}`);
        }
      }
    }
    for (const selector of spec.apart) {
      for (const container of document.querySelectorAll(selector)) {
        const boxes = [...container.children]
          // Column groups span the table they describe: structure, not a box of their own.
          .filter((child) => child.tagName !== "COLGROUP")
          .map((child) => ({ child, rect: child.getBoundingClientRect() }))
          .filter((box) => visible(box.rect));
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i] as (typeof boxes)[number];
            const b = boxes[j] as (typeof boxes)[number];
            const overlapX = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
            const overlapY = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
            if (overlapX > slack && overlapY > slack) {
              problems.push(`${name(a.child)} overlaps ${name(b.child)} by ${overlapX}×${overlapY}`);
            }
          }
        }
      }
    }
    for (const selector of spec.contain) {
      for (const container of document.querySelectorAll(selector)) {
        const box = container.getBoundingClientRect();
        const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.textContent?.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const line of range.getClientRects()) {
            if (!visible(line)) continue;
            const outside =
              line.left < box.left - slack ||
              line.right > box.right + slack ||
              line.top < box.top - slack ||
              line.bottom > box.bottom + slack;
            if (outside || line.left < -slack || line.right > viewport + slack) {
              problems.push(`text "${node.textContent.trim().slice(0, 40)}" is cut from ${name(container)}`);
              break;
            }
          }
        }
      }
    }
    return problems;
  }, spec);
}
