import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeHtmlBytes, normalizeCharset, sniffCharset } from "../../src/fetchers/charset.js";

const TEXT = {
  latin: "Café crème — “naïve” façade €5",
  japanese: "日本語の記事：東京で発表された",
  chinese: "中文新闻：北京宣布新的经济政策",
};

function page(body: string, head = ""): string {
  return `<!doctype html><html><head>${head}<title>t</title></head><body><p>${body}</p></body></html>`;
}

describe("decodeHtmlBytes", () => {
  it("uses the Content-Type charset first", () => {
    const bytes = iconv.encode(page(TEXT.latin), "windows-1252");
    expect(decodeHtmlBytes(bytes, "text/html; charset=windows-1252")).toMatchObject({
      charset: "windows-1252",
    });
    expect(decodeHtmlBytes(bytes, "text/html; charset=windows-1252").html).toContain(TEXT.latin);
  });

  it("decodes ISO-8859-1 as windows-1252, as browsers do", () => {
    const bytes = iconv.encode(page("Café à la façon"), "iso-8859-1");
    const decoded = decodeHtmlBytes(bytes, 'text/html; charset="ISO-8859-1"');
    expect(decoded.html).toContain("Café à la façon");
    expect(decoded.charset).toBe("windows-1252");
    // 0x93/0x94 are curly quotes on real "iso-8859-1" pages, not C1 controls.
    expect(decodeHtmlBytes(Buffer.from([0x93, 0x61, 0x94]), "text/html; charset=iso-8859-1").html).toBe(
      "“a”",
    );
  });

  it("decodes Shift_JIS from a <meta charset>", () => {
    const bytes = iconv.encode(page(TEXT.japanese, '<meta charset="Shift_JIS">'), "shift_jis");
    const decoded = decodeHtmlBytes(bytes, "text/html");
    expect(decoded).toMatchObject({ charset: "shift_jis" });
    expect(decoded.html).toContain(TEXT.japanese);
  });

  it("decodes GB18030 from a http-equiv meta (gb2312 label)", () => {
    const head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">';
    const bytes = iconv.encode(page(TEXT.chinese, head), "gb18030");
    const decoded = decodeHtmlBytes(bytes, null);
    expect(decoded).toMatchObject({ charset: "gb18030" });
    expect(decoded.html).toContain(TEXT.chinese);
  });

  it("lets a UTF-8 BOM win over a wrong header and strips it", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page(TEXT.latin))]);
    const decoded = decodeHtmlBytes(bytes, "text/html; charset=windows-1252");
    expect(decoded.charset).toBe("utf-8");
    expect(decoded.html.startsWith("<!doctype")).toBe(true);
    expect(decoded.html).toContain(TEXT.latin);
  });

  it("decodes UTF-16LE with a BOM", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(page(TEXT.chinese), "utf-16le")]);
    expect(decodeHtmlBytes(bytes, null).html).toContain(TEXT.chinese);
  });

  it("ignores a <meta> inside a comment and an unknown header label", () => {
    const html = `<!-- <meta charset="koi8-r"> --><meta charset="utf-8">${page(TEXT.latin)}`;
    const decoded = decodeHtmlBytes(Buffer.from(html), "text/html; charset=bogus-charset");
    expect(decoded.charset).toBe("utf-8");
    expect(decoded.html).toContain(TEXT.latin);
  });

  it("detects undeclared encodings", () => {
    expect(decodeHtmlBytes(Buffer.from(page(TEXT.japanese)), null).charset).toBe("utf-8");
    const sjis = iconv.encode(page(TEXT.japanese.repeat(20)), "shift_jis");
    expect(decodeHtmlBytes(sjis, null).html).toContain(TEXT.japanese);
    const french =
      "Le président a annoncé mercredi que la réforme serait présentée à l’Assemblée après l’été.";
    const latin = iconv.encode(page(`${"x".repeat(100_000)} ${french}`), "windows-1252");
    const decoded = decodeHtmlBytes(latin, null);
    expect(decoded.charset).toBe("windows-1252");
    expect(decoded.html.endsWith(`${french}</p></body></html>`)).toBe(true);
    // Too little text to guess from: the web's default.
    expect(decodeHtmlBytes(iconv.encode(TEXT.latin, "windows-1252"), null).html).toBe(TEXT.latin);
  });

  it("returns an empty document for an empty body", () => {
    expect(decodeHtmlBytes(new Uint8Array(0), null)).toEqual({ html: "", charset: "windows-1252" });
  });

  it("reports where the decision came from", () => {
    expect(sniffCharset(Buffer.from("<p>x</p>"), "text/html; charset=utf-8").source).toBe("header");
    expect(normalizeCharset("  'UTF8' ")).toBe("utf-8");
    expect(normalizeCharset("no-such-thing")).toBeNull();
  });
});
