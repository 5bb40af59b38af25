import type { ArticleStore } from "../../src/store/article-store.js";
import { fillerText, makeRecord } from "../support/records.js";

/** Stories for the reader page's desk: copies, chains, paywalls, languages and revisions. */
export const WSJ = "https://www.wsj.com/world/kursk-offensive";
export const AUSTRALIAN = "https://www.theaustralian.com.au/world/kursk-offensive";
export const NEWSBITE = "https://newsbite.example/kursk";
export const LE_MONDE = "https://www.lemonde.fr/international/article/2024/05/01/reforme-des-retraites";
export const SPIEGEL = "https://www.spiegel.de/politik/haushalt-einigung";
export const LONG_WORDS = "https://long-words.example/a";
export const HOSTILE = "https://hostile.example/markup";
export const HOSTILE_PUBLISHER = `<b onmouseover="window.__pwned=1">Bold</b> Press`;
export const HOSTILE_ORIGIN = `<img src=x onerror="window.__pwned=1">Origin & Co`;

const SPIEGEL_OLD_BODY = [
  "Die Koalition hat sich nach einer langen Nacht auf den Haushalt geeinigt.",
  "Der Entwurf sieht Ausgaben von 480 Milliarden Euro vor, sagte der Finanzminister am Morgen.",
  "Ein Sprecher nannte die Einigung einen Durchbruch.",
  fillerText(31, 80),
].join("\n\n");

const SPIEGEL_NEW_BODY = [
  "Die Koalition hat sich nach einer langen Nacht auf den Haushalt geeinigt.",
  "Der Entwurf sieht Ausgaben von 480 Millionen Euro vor, sagte der Finanzminister am Morgen.",
  "Die Opposition kritisiert den Entwurf.",
  fillerText(31, 80),
].join("\n\n");

export async function seedDesk(store: ArticleStore): Promise<void> {
  const wsjBody = fillerText(42);
  await store.upsertArticle(
    makeRecord(WSJ, {
      title: "Ukraine presses Kursk offensive",
      standfirst: "Kyiv's forces push deeper into Russian territory.",
      publisher: "The Wall Street Journal",
      body: wsjBody,
      provenance: [{ role: "origin", name: "The Wall Street Journal", url: WSJ, evidence: ["canonical"] }],
    }),
  );
  await store.upsertArticle(
    makeRecord(NEWSBITE, {
      title: "Kursk offensive, via NewsBite",
      publisher: "NewsBite",
      body: wsjBody.slice(0, 200),
      paywall: { accessibleForFree: null, truncated: true },
      provenance: [
        { role: "origin", name: "The Wall Street Journal", url: WSJ, evidence: ["original-url-line"] },
        { role: "syndicator", name: "The Australian", url: AUSTRALIAN, evidence: ["credit-line"] },
        { role: "aggregator", name: "NewsBite", url: NEWSBITE, evidence: ["canonical"] },
      ],
    }),
  );
  await store.upsertArticle(
    makeRecord(LE_MONDE, {
      title: "Réforme des retraites : le gouvernement recule",
      publisher: "Le Monde",
      language: "fr",
      body: fillerText(7, 60),
      paywall: { accessibleForFree: false, truncated: true },
    }),
  );
  await store.upsertArticle(
    makeRecord(SPIEGEL, {
      title: "Koalition einigt sich auf Haushalt",
      standfirst: "Nach langen Verhandlungen steht der Entwurf.",
      publisher: "DER SPIEGEL",
      language: "de",
      body: SPIEGEL_OLD_BODY,
      fetchedAt: "2024-05-01T09:00:00.000Z",
    }),
  );
  await store.upsertArticle(
    makeRecord(SPIEGEL, {
      title: "Koalition einigt sich spät auf Haushalt",
      standfirst: "Nach zähen Verhandlungen steht der Entwurf.",
      publisher: "DER SPIEGEL",
      language: "de",
      body: SPIEGEL_NEW_BODY,
      fetchedAt: "2024-05-01T11:00:00.000Z",
    }),
    { seenAt: "2024-05-01T11:00:00.000Z" },
  );
  await store.upsertArticle(
    makeRecord(LONG_WORDS, {
      title: `Unbreakable${"x".repeat(140)} headline`,
      standfirst: `A standfirst with a path/${"segment".repeat(30)} in it.`,
      publisher:
        "The Very Long Named Regional Morning Herald and Evening Gazette of the Northern Territories",
      language: "en-AU",
      body: fillerText(11, 60),
      provenance: [
        {
          role: "origin",
          name: null,
          url: `https://an-origin-with-a-very-long-hostname-indeed.example/${"p".repeat(120)}`,
          evidence: ["canonical"],
        },
      ],
    }),
  );
  await store.upsertArticle(
    makeRecord(HOSTILE, {
      title: `<script>window.__pwned=1</script>Markup in a title`,
      publisher: HOSTILE_PUBLISHER,
      body: fillerText(13, 60),
      provenance: [
        { role: "origin", name: HOSTILE_ORIGIN, url: "javascript:alert(1)", evidence: ["canonical"] },
      ],
    }),
  );
}
