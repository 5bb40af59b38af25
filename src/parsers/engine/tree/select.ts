import { compile, type Options } from "css-select";
import { isTraversal, parse } from "css-what";
import type { TreeElement, TreeNode } from "./nodes.js";

/**
 * CSS selectors on the array tree, by css-select (the engine cheerio uses), through an
 * adapter over our nodes. A selector is compiled once per process: site rules and stages ask the
 * same few dozen on every page, and compiling them again on every query cost as much as running them.
 */
const ELEMENT = 1;

type Adapter = NonNullable<Options<TreeNode, TreeElement>["adapter"]>;
type CompiledQuery = (node: TreeNode) => boolean;

function isElement(node: TreeNode): node is TreeElement {
  return node.nodeType === ELEMENT;
}

function childrenOf(node: TreeNode): TreeNode[] {
  return (node as { childNodes?: TreeNode[] }).childNodes ?? [];
}

function collectMatching(
  test: (element: TreeElement) => boolean,
  nodes: readonly TreeNode[],
  found: TreeElement[],
) {
  for (const node of nodes) {
    if (!isElement(node)) continue;
    if (test(node)) found.push(node);
    if (node.childNodes.length > 0) collectMatching(test, node.childNodes, found);
  }
}

function firstMatching(
  test: (element: TreeElement) => boolean,
  nodes: readonly TreeNode[],
): TreeElement | null {
  for (const node of nodes) {
    if (!isElement(node)) continue;
    if (test(node)) return node;
    if (node.childNodes.length > 0) {
      const found = firstMatching(test, node.childNodes);
      if (found) return found;
    }
  }
  return null;
}

export function findAllMatching(
  test: (element: TreeElement) => boolean,
  nodes: readonly TreeNode[],
): TreeElement[] {
  const found: TreeElement[] = [];
  collectMatching(test, nodes, found);
  return found;
}

const adapter: Adapter = {
  isTag: isElement,
  existsOne: (test, nodes) => firstMatching(test, nodes) !== null,
  getAttributeValue: (element, name) => element.getAttribute(name) ?? undefined,
  getChildren: childrenOf,
  getName: (element) => element.localName,
  getParent: (node) => node.parentElement,
  getSiblings: (node) => (node.parentNode ? node.parentNode.childNodes : [node]),
  prevElementSibling: (node) => node.previousElementSibling,
  getText: (node) => node.textContent,
  hasAttrib: (element, name) => element.getAttribute(name) !== null,
  removeSubsets: (nodes) =>
    nodes.filter(
      (node, at) => !nodes.some((other, otherAt) => otherAt !== at && other !== node && other.contains(node)),
    ),
  findAll: findAllMatching,
  findOne: firstMatching,
};

const compiled = new Map<string, CompiledQuery>();

/** What the last compound of one selector in a list asks of an element first: a tag, an attribute. */
interface Requirement {
  tag: string | null;
  attribute: string | null;
}

/**
 * What an element must have to match `selector`: for each selector of the list, the tag its last
 * compound names and an attribute it tests ("header a[href='/']" → a; "[class*=logo]" → class);
 * null when one of them names neither. css-select tests a compound's attributes before its tag,
 * so a page's thousands of other elements were each searched for attributes they lack.
 */
function requirements(selector: string): Requirement[] | null {
  const out: Requirement[] = [];
  for (const group of parse(selector)) {
    let need: Requirement = { tag: null, attribute: null };
    for (const token of group) {
      if (isTraversal(token)) need = { tag: null, attribute: null };
      else if (token.type === "tag" && token.namespace === null) need.tag = token.name.toLowerCase();
      // Every attribute test but css-select's [name!=value] needs the attribute to be there.
      else if (token.type === "attribute" && token.action !== "not" && token.namespace === null)
        need.attribute ??= token.name.toLowerCase();
    }
    if (need.tag === null && need.attribute === null) return null;
    if (!out.some((other) => other.tag === need.tag && other.attribute === need.attribute)) out.push(need);
  }
  return out.length > 0 ? out : null;
}

function meets(element: TreeElement, need: Requirement): boolean {
  return (
    (need.tag === null || element.localName === need.tag) &&
    (need.attribute === null || element.getAttribute(need.attribute) !== null)
  );
}

/** A loop, not `some`: a closure made for each element of each query was a fifth of all allocation. */
function meetsAny(element: TreeElement, needs: readonly Requirement[]): boolean {
  for (const need of needs) if (meets(element, need)) return true;
  return false;
}

/** Throws on a selector css-select cannot parse, as the DOM's querySelector does. */
export function compiledSelector(selector: string): CompiledQuery {
  let query = compiled.get(selector);
  if (!query) {
    // No results cache: css-select's keeps, inside the compiled function, each ancestor found not
    // to match, and a compiled selector here lives for the process, so after the tree changed (an
    // element moved under another) it went on answering as the tree had been.
    const test = compile<TreeNode, TreeElement>(selector, { adapter, xmlMode: false, cacheResults: false });
    const needs = requirements(selector);
    const [only] = needs ?? [];
    query =
      !needs || !only
        ? test
        : needs.length === 1
          ? (node) => meets(node as TreeElement, only) && test(node)
          : (node) => meetsAny(node as TreeElement, needs) && test(node);
    compiled.set(selector, query);
  }
  return query;
}

export function findFirstMatching(query: CompiledQuery, nodes: readonly TreeNode[]): TreeElement | null {
  return firstMatching(query, nodes);
}

export function closestMatching(query: CompiledQuery, from: TreeElement): TreeElement | null {
  for (let element: TreeElement | null = from; element; element = element.parentElement)
    if (query(element)) return element;
  return null;
}
