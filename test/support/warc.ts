import { writeFile } from "node:fs/promises";
import { WARCRecord, WARCSerializer } from "warcio";

/** One HTTP exchange to archive: a request record and its response record. */
export interface ArchivedResponse {
  url: string;
  body: string | Uint8Array;
  /** Content-Type of the response; text/html; charset=utf-8 by default, none when null. */
  contentType?: string | null;
  status?: number;
  /** WARC-Date, ISO-8601. */
  date?: string;
}

/**
 * Writes a WARC file as a crawler would: a warcinfo record, then a request and a response record for
 * each exchange; every record its own gzip member when `gzip` (a .warc.gz), plain otherwise.
 */
export async function writeWarc(file: string, responses: ArchivedResponse[], options: { gzip: boolean }) {
  const warcVersion = "WARC/1.1";
  const serialize = (record: WARCRecord) => WARCSerializer.serialize(record, { gzip: options.gzip });
  const parts: Uint8Array[] = [
    await serialize(
      WARCRecord.createWARCInfo(
        { filename: file, warcVersion },
        { software: "copydesk tests", format: warcVersion },
      ),
    ),
  ];
  for (const response of responses) {
    const date = response.date ?? "2025-03-11T06:00:00Z";
    parts.push(
      await serialize(
        WARCRecord.create({
          url: response.url,
          date,
          type: "request",
          warcVersion,
          statusline: `GET ${new URL(response.url).pathname} HTTP/1.1`,
          httpHeaders: { Host: new URL(response.url).host, Accept: "text/html" },
        }),
      ),
    );
    const contentType =
      response.contentType === undefined ? "text/html; charset=utf-8" : response.contentType;
    const body = typeof response.body === "string" ? new TextEncoder().encode(response.body) : response.body;
    const status = response.status ?? 200;
    parts.push(
      await serialize(
        WARCRecord.create(
          {
            url: response.url,
            date,
            type: "response",
            warcVersion,
            statusline: `HTTP/1.1 ${status} ${status === 200 ? "OK" : "Other"}`,
            httpHeaders: contentType === null ? {} : { "Content-Type": contentType },
          },
          (async function* () {
            yield body;
          })(),
        ),
      ),
    );
  }
  await writeFile(file, Buffer.concat(parts));
}
