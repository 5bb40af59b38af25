import { parseInto } from "./build.js";
import { closestMatching, compiledSelector, findAllMatching, findFirstMatching } from "./select.js";
import { serializeChildren, serializeNode } from "./serialize.js";

/**
 * A small DOM over arrays: the subset of the DOM that Readability (it also runs on its own
 * JSDOMParser, which has the same shape) and our stages use, built straight from htmlparser2's
 * events. Each parent keeps its children in one array and each node links to its siblings, so
 * reading the tree allocates nothing (linkedom, used before it, kept a linked list of start and
 * end markers, so every `children`, `textContent` and query walked and allocated; docs/BENCHMARKS.md).
 *
 * `childNodes` is the parent's own array, live as in JSDOMParser; `children` is a snapshot taken
 * when asked (kept until the children change, so asking twice costs nothing). Lists from queries
 * are static arrays. Callers treat all of them as read-only, as DOM collections are.
 */
export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
const COMMENT_NODE = 8;
export const DOCUMENT_NODE = 9;

const NO_CHILDREN: readonly TreeNode[] = Object.freeze([]);

export class TreeAttr {
  constructor(
    readonly name: string,
    public value: string,
  ) {}

  cloneNode(): TreeAttr {
    return new TreeAttr(this.name, this.value);
  }
}

export type TreeParent = TreeElement | TreeDocument;

export abstract class TreeNode {
  abstract readonly nodeType: number;
  parentNode: TreeParent | null = null;
  previousSibling: TreeNode | null = null;
  nextSibling: TreeNode | null = null;
  /**
   * The document this node belongs to; for the document itself, itself (read it via ownerDocument).
   * A node inserted into another document's tree moves to that document (see adoptInto).
   */
  doc: TreeDocument;

  constructor(doc: TreeDocument | null) {
    this.doc = doc ?? (this as unknown as TreeDocument);
  }

  get ownerDocument(): TreeDocument | null {
    return this.doc === (this as unknown) ? null : this.doc;
  }

  get parentElement(): TreeElement | null {
    const parent = this.parentNode;
    return parent && parent.nodeType === ELEMENT_NODE ? (parent as TreeElement) : null;
  }

  get nextElementSibling(): TreeElement | null {
    let node = this.nextSibling;
    while (node && node.nodeType !== ELEMENT_NODE) node = node.nextSibling;
    return node as TreeElement | null;
  }

  get previousElementSibling(): TreeElement | null {
    let node = this.previousSibling;
    while (node && node.nodeType !== ELEMENT_NODE) node = node.previousSibling;
    return node as TreeElement | null;
  }

  get isConnected(): boolean {
    let node: TreeNode | null = this;
    while (node.parentNode) node = node.parentNode;
    return node.nodeType === DOCUMENT_NODE;
  }

  abstract get nodeName(): string;
  abstract get textContent(): string;
  abstract set textContent(value: string);
  abstract cloneNode(deep?: boolean): TreeNode;

  get nodeValue(): string | null {
    return null;
  }

  get firstChild(): TreeNode | null {
    return null;
  }

  get lastChild(): TreeNode | null {
    return null;
  }

  hasChildNodes(): boolean {
    return this.firstChild !== null;
  }

  contains(other: TreeNode | null): boolean {
    for (let node = other; node; node = node.parentNode) if (node === this) return true;
    return false;
  }

  remove(): void {
    this.parentNode?.removeChild(this);
  }

  replaceWith(...nodes: (TreeNode | string)[]): void {
    const parent = this.parentNode;
    if (!parent) return;
    const next = this.nextSibling;
    parent.removeChild(this);
    for (const node of nodes) parent.insertBefore(this.doc.adopt(node), next);
  }

  before(...nodes: (TreeNode | string)[]): void {
    const parent = this.parentNode;
    if (parent) for (const node of nodes) parent.insertBefore(this.doc.adopt(node), this);
  }

  after(...nodes: (TreeNode | string)[]): void {
    const parent = this.parentNode;
    if (!parent) return;
    const next = this.nextSibling;
    for (const node of nodes) parent.insertBefore(this.doc.adopt(node), next);
  }
}

abstract class TreeCharacterData extends TreeNode {
  /** The text itself; the parser appends to it directly while nothing has read the tree yet. */
  raw: string;

  constructor(doc: TreeDocument, data: string) {
    super(doc);
    this.raw = data;
  }

  get data(): string {
    return this.raw;
  }

  set data(value: string) {
    this.raw = value;
    if (this.parentNode) textChanged(this.parentNode);
  }

  override get nodeValue(): string {
    return this.data;
  }

  /** Text has no children, but the DOM gives every node a (here always empty) list of them. */
  get childNodes(): readonly TreeNode[] {
    return NO_CHILDREN;
  }

  override set nodeValue(value: string) {
    this.data = value;
  }

  get textContent(): string {
    return this.data;
  }

  set textContent(value: string) {
    this.data = value;
  }

  get length(): number {
    return this.data.length;
  }
}

export class TreeText extends TreeCharacterData {
  readonly nodeType = TEXT_NODE;

  get nodeName(): string {
    return "#text";
  }

  cloneNode(): TreeText {
    return new TreeText(this.doc, this.data);
  }
}

export class TreeComment extends TreeCharacterData {
  readonly nodeType = COMMENT_NODE;

  get nodeName(): string {
    return "#comment";
  }

  override get textContent(): string {
    return "";
  }

  override set textContent(value: string) {
    this.data = value;
  }

  cloneNode(): TreeComment {
    return new TreeComment(this.doc, this.data);
  }
}

/** What elements and the document share: an array of children and the queries over it. */
abstract class TreeParentNode extends TreeNode {
  childNodes: TreeNode[] = [];
  private elementChildren: TreeElement[] | null = null;
  /**
   * This node's text, kept from the last time it was read until the text below it changes.
   * Readability and our scans read the text of an element and then of each element inside it;
   * kept, each text node is read once. Reading an element's text keeps the text of every element
   * below it too, so an element without kept text has no ancestor with kept text, and a change
   * clears kept text upwards only as far as the first element that has none (textChanged).
   */
  cachedText: string | null = null;

  override get firstChild(): TreeNode | null {
    return this.childNodes[0] ?? null;
  }

  override get lastChild(): TreeNode | null {
    return this.childNodes[this.childNodes.length - 1] ?? null;
  }

  get children(): TreeElement[] {
    if (!this.elementChildren) {
      const elements: TreeElement[] = [];
      for (const node of this.childNodes)
        if (node.nodeType === ELEMENT_NODE) elements.push(node as TreeElement);
      this.elementChildren = elements;
    }
    return this.elementChildren;
  }

  get childElementCount(): number {
    let count = 0;
    for (const node of this.childNodes) if (node.nodeType === ELEMENT_NODE) count++;
    return count;
  }

  get firstElementChild(): TreeElement | null {
    for (const node of this.childNodes) if (node.nodeType === ELEMENT_NODE) return node as TreeElement;
    return null;
  }

  get lastElementChild(): TreeElement | null {
    for (let at = this.childNodes.length - 1; at >= 0; at--) {
      const node = this.childNodes[at] as TreeNode;
      if (node.nodeType === ELEMENT_NODE) return node as TreeElement;
    }
    return null;
  }

  get textContent(): string {
    if (this.cachedText !== null) return this.cachedText;
    let text = "";
    for (const node of this.childNodes) {
      if (node.nodeType === TEXT_NODE) text += (node as TreeText).raw;
      else if (node.nodeType === ELEMENT_NODE) text += (node as TreeElement).textContent;
    }
    this.cachedText = text;
    return text;
  }

  set textContent(value: string) {
    this.replaceChildren(value);
  }

  appendChild<T extends TreeNode>(node: T): T {
    return this.insertBefore(node, null);
  }

  append(...nodes: (TreeNode | string)[]): void {
    for (const node of nodes) this.insertBefore(this.doc.adopt(node), null);
  }

  prepend(...nodes: (TreeNode | string)[]): void {
    const first = this.firstChild;
    for (const node of nodes) this.insertBefore(this.doc.adopt(node), first);
  }

  replaceChildren(...nodes: (TreeNode | string)[]): void {
    for (const child of this.childNodes) unlink(child);
    this.childNodes = [];
    this.elementChildren = null;
    textChanged(this);
    this.doc.structureChanged();
    this.append(...nodes.filter((node) => node !== ""));
  }

  insertBefore<T extends TreeNode>(node: T, reference: TreeNode | null): T {
    if (node.nodeType === DOCUMENT_NODE)
      throw new DOMException("a document cannot be a child", "HierarchyRequestError");
    if (reference && reference.parentNode !== (this as unknown))
      throw new DOMException("the reference node is not a child of this node", "NotFoundError");
    if ((node as TreeNode) === reference) return node;
    if (node.contains(this))
      throw new DOMException("a node cannot hold its own ancestor", "HierarchyRequestError");
    node.parentNode?.removeChild(node);
    if (node.doc !== this.doc) adoptInto(node, this.doc);
    const at = reference ? this.childNodes.indexOf(reference) : this.childNodes.length;
    const before = at > 0 ? (this.childNodes[at - 1] as TreeNode) : null;
    this.childNodes.splice(at, 0, node);
    node.parentNode = this as unknown as TreeParent;
    node.previousSibling = before;
    node.nextSibling = reference;
    if (before) before.nextSibling = node;
    if (reference) reference.previousSibling = node;
    if (node.nodeType === ELEMENT_NODE) this.elementChildren = null;
    textChanged(this);
    this.doc.structureChanged();
    return node;
  }

  removeChild<T extends TreeNode>(node: T): T {
    if (node.parentNode !== (this as unknown))
      throw new DOMException("not a child of this node", "NotFoundError");
    const at = this.childNodes.indexOf(node);
    this.childNodes.splice(at, 1);
    if (node.previousSibling) node.previousSibling.nextSibling = node.nextSibling;
    if (node.nextSibling) node.nextSibling.previousSibling = node.previousSibling;
    unlink(node);
    if (node.nodeType === ELEMENT_NODE) this.elementChildren = null;
    textChanged(this);
    this.doc.structureChanged();
    return node;
  }

  replaceChild<T extends TreeNode>(node: TreeNode, old: T): T {
    if (old.parentNode !== (this as unknown))
      throw new DOMException("not a child of this node", "NotFoundError");
    if (node === old) return old;
    const next = old.nextSibling === node ? node.nextSibling : old.nextSibling;
    this.removeChild(old);
    this.insertBefore(node, next);
    return old;
  }

  /** For the parser only: a new, unattached node at the end, merging adjacent text as HTML does. */
  appendParsed(node: TreeNode): void {
    const last = this.childNodes[this.childNodes.length - 1];
    if (node.nodeType === TEXT_NODE && last?.nodeType === TEXT_NODE) {
      (last as TreeText).raw += (node as TreeText).raw;
      return;
    }
    this.childNodes.push(node);
    node.parentNode = this as unknown as TreeParent;
    if (last) {
      last.nextSibling = node;
      node.previousSibling = last;
    }
    if (node.nodeType === ELEMENT_NODE) {
      this.elementChildren = null;
      this.doc.structureChanged();
    }
    if (this.cachedText !== null) textChanged(this);
  }

  getElementsByTagName(name: string): TreeElement[] {
    return findAllMatching(tagTest(name), this.childNodes);
  }

  getElementsByClassName(names: string): TreeElement[] {
    const wanted = names.split(/\s+/).filter(Boolean);
    return this.getElementsByTagName("*").filter((element) => {
      const classes = element.className.split(/\s+/);
      return wanted.every((name) => classes.includes(name));
    });
  }

  querySelectorAll(selector: string): TreeElement[] {
    return findAllMatching(compiledSelector(selector), this.childNodes);
  }

  querySelector(selector: string): TreeElement | null {
    return findFirstMatching(compiledSelector(selector), this.childNodes);
  }
}

const VOID_TAGS = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);

export class TreeElement extends TreeParentNode {
  readonly nodeType = ELEMENT_NODE;
  /** Lower case, as the parser gives it; tagName is its upper-case form, as in HTML documents. */
  readonly localName: string;
  readonly tagName: string;
  attributes: TreeAttr[] = [];
  /**
   * The class and id attributes, found once: most of the selectors our stages ask of every element
   * of a page test them. `undefined` until looked up; cleared when an attribute is added or removed.
   */
  private classAttr: TreeAttr | null | undefined = undefined;
  private idAttr: TreeAttr | null | undefined = undefined;
  /**
   * The two properties Readability sets on the elements it scores and on tables, declared so that
   * setting them is a store into a field every element has: added later, they would give the
   * elements Readability touched other hidden classes than the rest, and every function reading
   * elements would meet several shapes (V8 then deoptimises and recompiles it, and its property
   * reads stay polymorphic).
   */
  readability: { contentScore: number } | undefined = undefined;
  _readabilityDataTable: boolean | undefined = undefined;

  constructor(doc: TreeDocument, localName: string) {
    super(doc);
    this.localName = localName;
    this.tagName = localName.toUpperCase();
  }

  /** The attribute of exactly this (lower-case) name, not through the class and id kept above. */
  findAttr(name: string): TreeAttr | null {
    for (const attr of this.attributes) if (attr.name === name) return attr;
    return null;
  }

  get nodeName(): string {
    return this.tagName;
  }

  get isVoid(): boolean {
    return VOID_TAGS.has(this.localName);
  }

  getAttribute(name: string): string | null {
    if (name === "class") {
      if (this.classAttr === undefined) this.classAttr = this.findAttr("class");
      return this.classAttr ? this.classAttr.value : null;
    }
    if (name === "id") {
      if (this.idAttr === undefined) this.idAttr = this.findAttr("id");
      return this.idAttr ? this.idAttr.value : null;
    }
    const attr = this.findAttr(name);
    if (attr) return attr.value;
    const lower = name.toLowerCase();
    return lower === name ? null : this.getAttribute(lower);
  }

  hasAttribute(name: string): boolean {
    return this.getAttribute(name) !== null;
  }

  setAttribute(name: string, value: string): void {
    const lower = name.toLowerCase();
    const text = String(value);
    const attr = this.findAttr(lower);
    if (attr) {
      attr.value = text;
      return;
    }
    this.attributes.push(new TreeAttr(lower, text));
    this.attributesChanged();
  }

  private attributesChanged(): void {
    this.classAttr = undefined;
    this.idAttr = undefined;
  }

  setAttributeNode(attr: TreeAttr): void {
    this.setAttribute(attr.name, attr.value);
  }

  removeAttribute(name: string): void {
    const lower = name.toLowerCase();
    const at = this.attributes.findIndex((attr) => attr.name === lower);
    if (at !== -1) {
      this.attributes.splice(at, 1);
      this.attributesChanged();
    }
  }

  get id(): string {
    return this.getAttribute("id") ?? "";
  }

  set id(value: string) {
    this.setAttribute("id", value);
  }

  get className(): string {
    return this.getAttribute("class") ?? "";
  }

  set className(value: string) {
    this.setAttribute("class", value);
  }

  get src(): string {
    return this.getAttribute("src") ?? "";
  }

  get srcset(): string {
    return this.getAttribute("srcset") ?? "";
  }

  get innerHTML(): string {
    return serializeChildren(this);
  }

  set innerHTML(html: string) {
    this.replaceChildren();
    parseInto(this, html);
  }

  get outerHTML(): string {
    return serializeNode(this);
  }

  matches(selector: string): boolean {
    return compiledSelector(selector)(this);
  }

  closest(selector: string): TreeElement | null {
    return closestMatching(compiledSelector(selector), this);
  }

  cloneNode(deep = false): TreeElement {
    const copy = new TreeElement(this.doc, this.localName);
    copy.attributes = this.attributes.map((attr) => attr.cloneNode());
    if (deep) for (const child of this.childNodes) copy.appendParsed(child.cloneNode(true));
    return copy;
  }
}

export class TreeDocument extends TreeParentNode {
  readonly nodeType = DOCUMENT_NODE;
  /** The page's address, and the base its relative links resolve against (a `<base href>` moves it). */
  readonly documentURI: string;
  baseURI: string;

  constructor(url: string) {
    super(null);
    this.documentURI = url;
    this.baseURI = url;
  }

  get nodeName(): string {
    return "#document";
  }

  /** Every element in document order, kept until the tree's shape changes (see allElements). */
  private elementList: TreeElement[] | null = null;

  structureChanged(): void {
    this.elementList = null;
  }

  /**
   * Every element of the document in document order. Our stages ask dozens of selectors of the
   * whole, unchanged page before cleaning it: each then reads this array instead of walking the tree.
   */
  allElements(): readonly TreeElement[] {
    if (!this.elementList) {
      this.elementList = findAllMatching(ANY_ELEMENT, this.childNodes);
    }
    return this.elementList;
  }

  override querySelectorAll(selector: string): TreeElement[] {
    const test = compiledSelector(selector);
    return this.allElements().filter((element) => test(element));
  }

  override querySelector(selector: string): TreeElement | null {
    const test = compiledSelector(selector);
    return this.allElements().find((element) => test(element)) ?? null;
  }

  override getElementsByTagName(name: string): TreeElement[] {
    return this.allElements().filter(tagTest(name));
  }

  get documentElement(): TreeElement | null {
    return this.firstElementChild;
  }

  get head(): TreeElement | null {
    return childTagged(this.documentElement, "head");
  }

  get body(): TreeElement | null {
    return childTagged(this.documentElement, "body");
  }

  /** As a browser reads it: the first <title>'s text with white space collapsed. */
  get title(): string {
    const title = this.getElementsByTagName("title")[0];
    return title ? title.textContent.replace(/[\t\n\f\r ]+/g, " ").trim() : "";
  }

  override get textContent(): string {
    return "";
  }

  override set textContent(_value: string) {}

  createElement(name: string): TreeElement {
    return new TreeElement(this, name.toLowerCase());
  }

  createTextNode(data: string): TreeText {
    return new TreeText(this, String(data));
  }

  createComment(data: string): TreeComment {
    return new TreeComment(this, String(data));
  }

  getElementById(id: string): TreeElement | null {
    return this.getElementsByTagName("*").find((element) => element.getAttribute("id") === id) ?? null;
  }

  /** A node to insert: strings become text, as in the DOM's append(). */
  adopt(node: TreeNode | string): TreeNode {
    return typeof node === "string" ? this.createTextNode(node) : node;
  }

  /** A deep copy is parsed again from this document's markup, so its nodes belong to the copy. */
  cloneNode(deep = false): TreeDocument {
    const copy = new TreeDocument(this.documentURI);
    copy.baseURI = this.baseURI;
    if (deep) for (const child of this.childNodes) parseInto(copy, serializeNode(child));
    return copy;
  }
}

/** `node` and everything below it now belong to `doc`, whose element list their changes keep fresh. */
function adoptInto(node: TreeNode, doc: TreeDocument): void {
  node.doc = doc;
  for (const child of (node as TreeElement).childNodes ?? []) adoptInto(child, doc);
}

function unlink(node: TreeNode): void {
  node.parentNode = null;
  node.previousSibling = null;
  node.nextSibling = null;
}

function childTagged(parent: TreeElement | null, localName: string): TreeElement | null {
  if (!parent) return null;
  for (const node of parent.childNodes)
    if (node.nodeType === ELEMENT_NODE && (node as TreeElement).localName === localName)
      return node as TreeElement;
  return null;
}

/** The kept text of `node` and its ancestors is stale (see TreeParentNode.cachedText). */
function textChanged(node: TreeNode | null): void {
  for (let at = node as TreeParentNode | null; at && at.cachedText !== null; at = at.parentNode)
    at.cachedText = null;
}

const ANY_ELEMENT = (): boolean => true;

/** getElementsByTagName's test: "*" is every element, any other name is matched in lower case. */
function tagTest(name: string): (node: TreeNode) => boolean {
  if (name === "*") return ANY_ELEMENT;
  const localName = name.toLowerCase();
  return (node) => (node as TreeElement).localName === localName;
}
