/** One entry of the publisher registry (publisher-registry.ts). */
export interface KnownPublisher {
  name: string;
  /** A news agency, an outlet that licenses its stories, or an aggregator that mirrors others'. */
  kind: "wire" | "outlet" | "aggregator";
  /** Registrable hosts, without "www."; subdomains match too. */
  hosts: string[];
  /** Full spellings, lower-case: credit and source lines, byline segments, JSON-LD names. */
  credits: string[];
  /** Short forms, lower-case ("ap"): only a whole credit, a byline segment or a dateline. */
  abbreviations?: string[];
  /** As printed inside a dateline's parentheses or slashes ("AP", "Reuters", "dpa"). */
  datelines?: string[];
}
