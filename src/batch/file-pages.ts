import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { CopydeskError } from "../domain/errors.js";
import { parseHttpUrl } from "../domain/url.js";
import { htmlOfPage } from "./page-html.js";
import type { BatchPage, BatchSource } from "./run-batch.js";

export interface FilePagesOptions {
  /** Each file's URL is this base with the file's path (relative to the folder given) appended. */
  baseUrl?: string;
  fetchedAt: string;
  contentType?: string;
}

/** A folder is walked for these; a file named on the command line is read whatever its name. */
const PAGE_FILE = /\.html?$/i;

interface PageFile {
  file: string;
  /** Its path below the folder it was found in (or its name), with '/' separators: for --base-url. */
  relative: string;
}

/**
 * The pages of files and folders given to `extract`: folders walked (recursively, in name order)
 * for .html and .htm files. A path that cannot be read becomes a page whose line is INPUT_UNREADABLE.
 */
export async function filePages(inputs: string[], options: FilePagesOptions): Promise<BatchSource> {
  const files: PageFile[] = [];
  const folders: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (info?.isDirectory()) {
      folders.push(input);
      files.push(...(await pageFilesUnder(input)));
    } else {
      files.push({ file: input, relative: path.basename(input) });
    }
  }
  if (files.length === 0) {
    throw new CopydeskError("INPUT_INVALID", `no .html or .htm files in ${folders.join(", ")}`);
  }
  if (options.baseUrl !== undefined) parseHttpUrl(options.baseUrl);
  async function* pages(): AsyncGenerator<BatchPage> {
    for (const entry of files) yield { source: entry.file, load: () => loadFile(entry, options) };
  }
  return { pages: pages(), progress: { unit: "pages", total: files.length } };
}

async function pageFilesUnder(folder: string): Promise<PageFile[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && PAGE_FILE.test(entry.name))
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file, relative: path.relative(folder, file).split(path.sep).join("/") };
    })
    .sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

async function loadFile(entry: PageFile, options: FilePagesOptions) {
  let bytes: Buffer;
  try {
    bytes = await readFile(entry.file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new CopydeskError("INPUT_UNREADABLE", `cannot read ${entry.file} (${reason})`);
  }
  const html = htmlOfPage(bytes, options.contentType ?? null, entry.file);
  const url =
    options.baseUrl !== undefined
      ? new URL(entry.relative.split("/").map(encodeURIComponent).join("/"), options.baseUrl).href
      : (canonicalUrlOf(html) ?? noUrl(entry.file));
  return { html, url, fetchedAt: options.fetchedAt };
}

function noUrl(file: string): never {
  throw new CopydeskError(
    "INPUT_BAD_URL",
    `${file} names no absolute URL of its own (<link rel="canonical"> or og:url): give --base-url`,
  );
}

const LINK_OR_META = /<(link|meta)\b([^>]*)>/gi;
const ATTRIBUTE = /([^\s=/]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g;

/**
 * The page's own absolute http(s) URL, from <link rel="canonical"> or og:url: the URL a saved page
 * is read as when the command line gives none. Looks only at the first 256 KiB, where <head> is.
 */
export function canonicalUrlOf(html: string): string | null {
  let ogUrl: string | null = null;
  for (const [, tag, attributeText] of html.slice(0, 262_144).matchAll(LINK_OR_META)) {
    const attributes = new Map<string, string>();
    for (const [, name, quoted] of (attributeText ?? "").matchAll(ATTRIBUTE)) {
      if (name && quoted) attributes.set(name.toLowerCase(), quoted.replace(/^["']|["']$/g, "").trim());
    }
    if (tag?.toLowerCase() === "link") {
      const rel = attributes.get("rel")?.toLowerCase().split(/\s+/) ?? [];
      const href = attributes.get("href");
      if (rel.includes("canonical") && href && isHttpUrl(href)) return decodeEntities(href);
    } else if (ogUrl === null && attributes.get("property")?.toLowerCase() === "og:url") {
      const content = attributes.get("content");
      if (content && isHttpUrl(content)) ogUrl = decodeEntities(content);
    }
  }
  return ogUrl;
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/]/i.test(value);
}

/** The only entity that is common in an attribute URL. */
function decodeEntities(value: string): string {
  return value.replace(/&amp;/gi, "&");
}
