/**
 * Publishers that syndicate widely, with the names they print in credit lines. This is what lets
 * "The Wall Street Journal" at the foot of a copy, or a canonical link to wsj.com, name the origin.
 */
export interface KnownPublisher {
  name: string;
  hosts: string[];
  /** Credit-line spellings, compared case-insensitively without surrounding punctuation. */
  credits: string[];
}

export const KNOWN_PUBLISHERS: readonly KnownPublisher[] = [
  {
    name: "The Wall Street Journal",
    hosts: ["wsj.com"],
    credits: ["the wall street journal", "wall street journal", "wsj"],
  },
  { name: "Dow Jones", hosts: ["dowjones.com"], credits: ["dow jones", "dow jones newswires"] },
  { name: "The Australian", hosts: ["theaustralian.com.au"], credits: ["the australian"] },
  { name: "NewsBite", hosts: ["newsbite.com.au", "newsbite.com"], credits: [] },
  {
    name: "The Times",
    hosts: ["thetimes.co.uk", "thetimes.com"],
    credits: ["the times", "the times, london"],
  },
  { name: "The Sunday Times", hosts: ["thesundaytimes.co.uk"], credits: ["the sunday times"] },
  { name: "Reuters", hosts: ["reuters.com"], credits: ["reuters"] },
  {
    name: "The Associated Press",
    hosts: ["apnews.com"],
    credits: ["associated press", "the associated press", "ap"],
  },
  { name: "AFP", hosts: ["afp.com"], credits: ["afp", "agence france-presse"] },
  { name: "Bloomberg", hosts: ["bloomberg.com"], credits: ["bloomberg", "bloomberg news"] },
  { name: "The New York Times", hosts: ["nytimes.com"], credits: ["the new york times", "new york times"] },
  { name: "The Washington Post", hosts: ["washingtonpost.com"], credits: ["the washington post"] },
  { name: "Financial Times", hosts: ["ft.com"], credits: ["financial times", "the financial times"] },
  { name: "The Economist", hosts: ["economist.com"], credits: ["the economist"] },
  {
    name: "The Telegraph",
    hosts: ["telegraph.co.uk"],
    credits: ["the telegraph", "the daily telegraph, london"],
  },
  { name: "news.com.au", hosts: ["news.com.au"], credits: [] },
  { name: "AAP", hosts: ["aap.com.au"], credits: ["aap", "australian associated press"] },
];

export function publisherForHost(host: string): KnownPublisher | undefined {
  const h = host.toLowerCase().replace(/^www\d?\./, "");
  return KNOWN_PUBLISHERS.find((p) => p.hosts.some((known) => h === known || h.endsWith(`.${known}`)));
}

export function publisherForCredit(line: string): KnownPublisher | undefined {
  const key = line
    .toLowerCase()
    .replace(/^[\s©–—-]+|[\s.–—-]+$/g, "")
    .replace(/^(?:copyright|source|via)\s*:?\s*/, "")
    .trim();
  if (!key || key.length > 40) return undefined;
  return KNOWN_PUBLISHERS.find((p) => p.credits.includes(key));
}
