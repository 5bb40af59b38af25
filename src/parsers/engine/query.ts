/**
 * Selector queries that treat a selector the DOM cannot parse as matching nothing: site rules are
 * data, and one unsupported selector in them must not fail a whole page.
 */
export function queryAll(root: ParentNode, selector: string): Element[] {
  try {
    return Array.from(root.querySelectorAll(selector));
  } catch {
    return [];
  }
}

export function queryFirst(root: ParentNode, selector: string): Element | null {
  try {
    return root.querySelector(selector);
  } catch {
    return null;
  }
}
