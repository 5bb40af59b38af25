/** Every <meta> of a page, by lower-cased name/property/itemprop, in document order. */
export type MetaTags = Map<string, string[]>;

export function readMetaTags(document: Document): MetaTags {
  const tags: MetaTags = new Map();
  for (const meta of Array.from(document.querySelectorAll("meta"))) {
    const content = meta.getAttribute("content")?.trim();
    if (!content) continue;
    for (const attr of ["property", "name", "itemprop", "http-equiv"]) {
      const keys = meta.getAttribute(attr);
      if (!keys) continue;
      // RDFa allows several space-separated properties on one tag.
      for (const key of keys.toLowerCase().split(/\s+/)) {
        if (!key) continue;
        const list = tags.get(key);
        if (list) list.push(content);
        else tags.set(key, [content]);
      }
    }
  }
  return tags;
}

export function firstMeta(tags: MetaTags, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = tags.get(key)?.[0];
    if (value) return value;
  }
  return null;
}

export function allMeta(tags: MetaTags, ...keys: string[]): string[] {
  return keys.flatMap((key) => tags.get(key) ?? []);
}
