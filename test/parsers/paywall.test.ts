import { describe, expect, it } from "vitest";
import { indexByName } from "../../src/parsers/engine/name-index.js";
import { endsAsTeaser, paywallVerdict, readPaywallSignals } from "../../src/parsers/generic/paywall.js";
import { documentOf, jsonLdArticle, prose } from "./stages/support.js";

const none = { ruleMarker: false, prompt: false, emptiedPart: false };
const closed = jsonLdArticle({ isAccessibleForFree: false });

describe("paywall verdict", () => {
  it("a copied isAccessibleForFree: false alone does not make a complete copy truncated", () => {
    expect(paywallVerdict(none, closed, 120, "A short but complete story.")).toEqual({
      accessibleForFree: false,
      truncated: false,
    });
    expect(paywallVerdict(none, closed, 900, "A long story.").truncated).toBe(false);
  });

  it("a short body beside a prompt, or ending as a teaser, is truncated", () => {
    expect(paywallVerdict({ ...none, prompt: true }, null, 120, "Text.").truncated).toBe(true);
    expect(paywallVerdict(none, closed, 80, "The minister said the plan would…").truncated).toBe(true);
    expect(paywallVerdict(none, null, 80, "First lines.\n\nSubscribe to continue reading").truncated).toBe(
      true,
    );
    // Long text that happens to end in an ellipsis is a story, not a teaser.
    expect(paywallVerdict(none, null, 900, "and so on…").truncated).toBe(false);
    expect(endsAsTeaser("He left. It was over.")).toBe(false);
  });

  it("a declared paywalled part that is on the page but emptied is evidence; one holding the text is not", () => {
    const ld = jsonLdArticle({ hasPaywalledPart: true, paywalledSelectors: [".locked-part"] });
    const emptied = documentOf(`<article>${prose(3)}<div class="locked-part"></div></article>`);
    const full = documentOf(`<article><div class="locked-part">${prose(12)}</div></article>`);
    const absent = documentOf(`<article>${prose(3)}</article>`);
    const signals = (document: Document) =>
      readPaywallSignals(document, null, indexByName(document.documentElement), ld);
    expect(signals(emptied).emptiedPart).toBe(true);
    expect(signals(full).emptiedPart).toBe(false);
    expect(signals(absent).emptiedPart).toBe(false);
    expect(paywallVerdict(signals(emptied), ld, 33, "Paragraph.").truncated).toBe(true);
    expect(paywallVerdict(signals(full), ld, 132, "Paragraph.")).toEqual({
      accessibleForFree: false,
      truncated: false,
    });
  });

  it("the rule's marker is truncated whatever the page declares", () => {
    expect(paywallVerdict({ ...none, ruleMarker: true }, null, 500, "").truncated).toBe(true);
  });
});
