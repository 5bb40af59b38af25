import type { ArticleRecord } from "../domain/article.js";
import { CopydeskError, isCopydeskError } from "../domain/errors.js";

/**
 * What `extract` and `ingest` print for a page.
 *
 * One page: `json` is the record, `markdown` the body as Markdown (from the sanitised body HTML),
 * `text` the body's plain text (paragraphs separated by blank lines): the body alone, as
 * trafilatura and newspaper print it, so it can be piped into a file or a tool as it is.
 *
 * A batch is NDJSON whatever the format, one line per page, in the order pages finish, each with the
 * `source` it came from (a file, `archive.warc@offset`, a URL):
 *   json      {"source", "record": {…the record…}}
 *   markdown  {"source", "url", "title", "byline", "publishedAt", "language", "markdown"}
 *   text      {"source", "url", "title", "byline", "publishedAt", "language", "text"}
 *   a failure {"source", "url"?, "error": {"code", "message", "action"}}
 * so a line is a record exactly when it has no `error`.
 */
export const OUTPUT_FORMATS = ["json", "markdown", "text"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function parseOutputFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new CopydeskError("INPUT_INVALID", `--format must be json, markdown or text, got ${value}`);
}

export interface PageFormatter {
  /** What one page prints: the record as JSON (indented unless compact), or its body. Ends with a newline. */
  page(record: ArticleRecord, options?: { compact?: boolean }): string;
  /** A batch's NDJSON line for a record (with its newline). */
  line(source: string, record: ArticleRecord): string;
}

/** The formatter of a format; Markdown's converter is loaded only when it is asked for. */
export async function createPageFormatter(format: OutputFormat): Promise<PageFormatter> {
  if (format === "json") {
    return {
      page: (record, options = {}) => `${JSON.stringify(record, null, options.compact ? undefined : 2)}\n`,
      line: (source, record) => `${JSON.stringify({ source, record })}\n`,
    };
  }
  const bodyOf =
    format === "markdown" ? await markdownConverter() : (record: ArticleRecord) => record.body.text;
  return {
    page: (record) => withNewline(bodyOf(record)),
    line: (source, record) =>
      `${JSON.stringify({
        source,
        url: record.url,
        title: record.title,
        byline: record.byline,
        publishedAt: record.publishedAt,
        language: record.language,
        [format]: bodyOf(record),
      })}\n`,
  };
}

async function markdownConverter(): Promise<(record: ArticleRecord) => string> {
  const { default: TurndownService } = await import("turndown");
  // ATX headings, fenced code and '-' bullets: what Markdown readers and trafilatura's output use.
  const turndown = new TurndownService({
    headingStyle: "atx",
    codeBlockStyle: "fenced",
    bulletListMarker: "-",
  });
  // Turndown pads list markers to four columns ("-   item"); writers and other converters put one
  // space after the marker ("- item", "1. item"), and nested content is indented to match.
  turndown.addRule("listItem", {
    filter: "li",
    replacement(content, node, options) {
      const item = node as HTMLElement;
      const list = item.parentNode as HTMLElement | null;
      let marker = `${options.bulletListMarker ?? "-"} `;
      if (list?.nodeName === "OL") {
        const start = Number(list.getAttribute("start") ?? "1");
        marker = `${(Number.isFinite(start) ? start : 1) + Array.prototype.indexOf.call(list.children, item)}. `;
      }
      const paragraph = content.endsWith("\n");
      const text = content.replace(/^\n+|\n+$/g, "") + (paragraph ? "\n" : "");
      return `${marker}${text.replace(/\n(?=[^\n])/g, `\n${" ".repeat(marker.length)}`)}${item.nextSibling ? "\n" : ""}`;
    },
  });
  return (record) => (record.body.html.trim() === "" ? "" : turndown.turndown(record.body.html));
}

function withNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

/** A batch's NDJSON line for a page that failed: where it came from and its error's code. */
export function errorLine(source: string, error: unknown, url?: string): string {
  const described = isCopydeskError(error)
    ? error.toJSON()
    : {
        code: "EXTRACT_FAILED",
        message: error instanceof Error ? error.message : String(error),
        action: "skip",
      };
  return `${JSON.stringify(url === undefined ? { source, error: described } : { source, url, error: described })}\n`;
}
