import { describe, expect, it } from "vitest";
import { openDocument } from "../../src/parsers/engine/dom.js";
import {
  buildImageList,
  collectCaptions,
  imageKey,
  splitCaptionCredit,
} from "../../src/parsers/engine/images.js";

function captionsOf(html: string) {
  const { document, close } = openDocument(
    `<html><body>${html}</body></html>`,
    "https://example.org/a",
    "tree",
  );
  try {
    return collectCaptions(document, "https://example.org/a");
  } finally {
    close();
  }
}

describe("captions and credits", () => {
  it("splits a bracketed credit and a positional label off the caption", () => {
    expect(
      splitCaptionCredit("Jonas Brodin celebrates his goal. (AP Photo/Jeffrey T. Barnes)", null),
    ).toEqual({
      caption: "Jonas Brodin celebrates his goal.",
      credit: "AP Photo/Jeffrey T. Barnes",
    });
    expect(splitCaptionCredit("US troops remain in Afghanistan [File: Reuters]", null)).toEqual({
      caption: "US troops remain in Afghanistan",
      credit: "File: Reuters",
    });
    expect(splitCaptionCredit("Above: A coworking space in San Francisco.", null).caption).toBe(
      "A coworking space in San Francisco.",
    );
    expect(splitCaptionCredit("Matt Dumba (25) scores", null).caption).toBe("Matt Dumba (25) scores");
  });

  it("finds the caption of an image in a box beside it, with a plain span.credit", () => {
    const captions = captionsOf(`<article><div class="box"><img src="/hero-320-80.jpg">
      <div class="caption-text">A plume of water vapour over the moon.</div><span class="credit">NASA</span></div></article>`);
    expect([...captions.values()][0]).toMatchObject({
      caption: "A plume of water vapour over the moon.",
      credit: "NASA",
    });
  });

  it("reads a caption block holding a full and a truncated copy once", () => {
    const captions =
      captionsOf(`<ul><li class="item"><div class="img-wrap"><img src="/p/18635622/3/920x920.jpg"></div>
      <div class="caption"><div class="caption-full"><p>Unsold cars at a dealership. (AP Photo/David Z)</p></div>
      <div class="caption-truncated"><p>Unsold cars at a…</p></div></div></li></ul>`);
    expect([...captions.values()][0]).toMatchObject({
      caption: "Unsold cars at a dealership.",
      credit: "AP Photo/David Z",
    });
  });

  it("gives the declared lead the caption of the same picture printed at another size", () => {
    const captions =
      captionsOf(`<img src="/p/18635622/3/thumb.jpg"><figure><img src="/p/18635622/3/920x920.jpg">
      <figcaption>Unsold cars at a dealership.</figcaption></figure>`);
    const lead = { url: "https://example.org/p/18635622/3/landscape_32.jpg", caption: null, credit: null };
    expect(buildImageList({ body: [], lead, captions })[0]?.caption).toBe("Unsold cars at a dealership.");
    expect(imageKey("https://cdn.example/i/7xeSgN-320-80.jpg")).toBe(
      imageKey("https://cdn.example/i/7xeSgN.jpg"),
    );
  });
});
