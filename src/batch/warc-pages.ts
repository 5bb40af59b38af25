import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { CopydeskError } from "../domain/errors.js";
import { htmlOfPage } from "./page-html.js";
import type { BatchPage, BatchSource } from "./run-batch.js";

const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);

/**
 * The pages of a WARC file (ISO 28500, plain or gzip per record, as crawlers write them), read as a
 * stream by warcio: one page per `response` (2xx) or `resource` record that is HTML. Everything else
 * in an archive (requests, metadata, revisits, redirects, images, scripts…) is passed over and
 * counted in `skipped`; a record that says it is HTML but whose bytes are not gives INPUT_NOT_HTML.
 */
export async function warcPages(file: string): Promise<BatchSource> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new CopydeskError("INPUT_UNREADABLE", `cannot read ${file} (${error.code ?? "unreadable"})`);
  });
  if (!info.isFile()) throw new CopydeskError("INPUT_UNREADABLE", `${file} is not a file`);
  const { WARCParser } = await import("warcio");
  const skipped = new Map<string, number>();
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  let read = 0;

  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
      read += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }

  async function* pages(): AsyncGenerator<BatchPage> {
    const parser = new WARCParser(chunks());
    let records = 0;
    for (;;) {
      let record: Awaited<ReturnType<typeof parser.parse>>;
      try {
        record = await parser.parse();
      } catch (error) {
        throw notAWarc(file, records, error);
      }
      if (record === null) break;
      if (records === 0 && !record.warcHeaders.statusline.startsWith("WARC/")) throw notAWarc(file, 0);
      records++;
      const source = `${file}@${parser.offset}`;
      const type = record.warcType;
      if (type !== "response" && type !== "resource") {
        skip(`${type ?? "untyped"} record`);
        continue;
      }
      const status = type === "response" ? Number(record.httpHeaders?.statusCode) : 200;
      if (!(status >= 200 && status < 300)) {
        skip(Number.isFinite(status) ? `HTTP ${status}` : "no HTTP status");
        continue;
      }
      const contentType =
        (type === "response" ? record.httpHeaders?.headers.get("content-type") : record.warcContentType) ??
        null;
      const mimeType = contentType?.split(";")[0]?.trim().toLowerCase();
      if (mimeType && !HTML_TYPES.has(mimeType)) {
        skip(mimeType);
        continue;
      }
      const url = record.warcTargetURI ?? "";
      const fetchedAt = record.warcDate ?? new Date().toISOString();
      // The payload is read now, before the parser moves on; its decoding waits for a free slot.
      let payload: Uint8Array;
      try {
        payload = await record.readFully(true);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        yield {
          source,
          url,
          load: async () => {
            throw new CopydeskError("INPUT_UNREADABLE", `cannot decode the record's payload (${message})`);
          },
        };
        continue;
      }
      yield {
        source,
        url,
        load: async () => ({ html: htmlOfPage(payload, contentType, source), url, fetchedAt }),
      };
    }
    if (records === 0) throw notAWarc(file, 0);
  }

  return { pages: pages(), progress: { unit: "bytes", total: info.size, read: () => read }, skipped };
}

function notAWarc(file: string, records: number, cause?: unknown): CopydeskError {
  const reason = cause instanceof Error ? `: ${cause.message}` : "";
  return new CopydeskError(
    "INPUT_INVALID",
    records === 0
      ? `${file} is not a WARC file${reason}`
      : `${file} is broken after ${records} records${reason}`,
    cause === undefined ? {} : { cause },
  );
}
