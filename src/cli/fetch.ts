import { writeFileSync } from "node:fs";
import { loadConfig } from "../config.js";
import { CopydeskError } from "../domain/errors.js";
import type { ConditionalValidators } from "../domain/page.js";
import { type FetchResult, fetchPageOnce } from "../fetchers/fetch-page.js";

interface FetchCommandOptions {
  out?: string;
  json?: boolean;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}

export const fetchCommand = async (url: string, options: FetchCommandOptions) => {
  const validators: ConditionalValidators = {
    etag: options.ifNoneMatch ?? null,
    lastModified: options.ifModifiedSince ?? null,
  };
  const result = await fetchPageOnce(url, loadConfig(), { validators });
  if (options.out && result.kind === "page") writeOut(options.out, result.page.html, result.page.charset);
  const summary = summarize(result, result.kind === "page" ? options.out : undefined);
  process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
};

/**
 * The file is always UTF-8, whatever the page was served in. A page that was not UTF-8 still
 * declares its old charset in a <meta>; the byte-order mark we put first outranks that for every
 * reader that sniffs encodings (copydesk extract, browsers).
 */
function writeOut(file: string, html: string, charset: string): void {
  const bom = charset === "utf-8" ? "" : "\ufeff";
  try {
    writeFileSync(file, `${bom}${html}`, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unwritable";
    throw new CopydeskError("INPUT_INVALID", `cannot write ${file} (${code})`, { cause: error });
  }
}

interface FetchSummary {
  kind: FetchResult["kind"];
  status: number;
  requestedUrl: string;
  finalUrl: string;
  redirects: string[];
  contentType: string | null;
  charset: string | null;
  bytes: number | null;
  elapsedMs: number;
  etag: string | null;
  lastModified: string | null;
  fetchedAt: string;
  out: string | null;
}

function summarize(result: FetchResult, out: string | undefined): FetchSummary {
  if (result.kind === "not-modified") {
    return {
      kind: result.kind,
      status: result.status,
      requestedUrl: result.requestedUrl,
      finalUrl: result.finalUrl,
      redirects: result.redirects,
      contentType: null,
      charset: null,
      bytes: null,
      elapsedMs: result.elapsedMs,
      etag: result.etag,
      lastModified: result.lastModified,
      fetchedAt: result.fetchedAt,
      out: null,
    };
  }
  const { page } = result;
  return {
    kind: result.kind,
    status: page.status,
    requestedUrl: page.requestedUrl,
    finalUrl: page.finalUrl,
    redirects: page.redirects,
    contentType: page.contentType,
    charset: page.charset,
    bytes: page.bytes,
    elapsedMs: page.elapsedMs,
    etag: page.etag,
    lastModified: page.lastModified,
    fetchedAt: page.fetchedAt,
    out: out ?? null,
  };
}

function renderSummary(summary: FetchSummary): string {
  const rows: [string, string | null][] = [
    ["requested", summary.requestedUrl === summary.finalUrl ? null : summary.requestedUrl],
    ...summary.redirects.map((url, index): [string, string] => [`redirect ${index + 1}`, url]),
    ["type", summary.contentType && `${summary.contentType} (${summary.charset})`],
    ["size", summary.bytes === null ? null : `${summary.bytes.toLocaleString("en-US")} bytes`],
    ["time", `${summary.elapsedMs} ms`],
    ["etag", summary.etag],
    ["modified", summary.lastModified],
    ["fetched", summary.fetchedAt],
    ["written", summary.out],
  ];
  const head = summary.kind === "not-modified" ? "304 not modified" : String(summary.status);
  const lines = [`${head} ${summary.finalUrl}`];
  for (const [label, value] of rows) if (value) lines.push(`  ${label.padEnd(11)} ${value}`);
  return `${lines.join("\n")}\n`;
}
