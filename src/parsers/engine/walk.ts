const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/**
 * Runs of text under `root` in document order, adjacent text nodes joined (some DOMs split text at
 * entities), skipping elements whose tag is in `skip`. Walks without recursion: pages nest deeply.
 */
export function* textRuns(root: Node, skip: ReadonlySet<string> = new Set()): Generator<string> {
  let node: Node | null = root.firstChild;
  while (node) {
    if (node.nodeType === TEXT_NODE) {
      let text = node.nodeValue ?? "";
      while (node.nextSibling?.nodeType === TEXT_NODE) {
        node = node.nextSibling;
        text += node.nodeValue ?? "";
      }
      yield text;
    }
    const enter = node.nodeType !== ELEMENT_NODE || !skip.has((node as Element).tagName.toUpperCase());
    if (enter && node.firstChild) {
      node = node.firstChild;
      continue;
    }
    while (node && node !== root && !node.nextSibling) node = node.parentNode;
    node = node && node !== root ? node.nextSibling : null;
  }
}
