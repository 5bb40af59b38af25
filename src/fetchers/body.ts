import type { Readable } from "node:stream";
import { Transform, type TransformCallback, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { CopydeskError } from "../domain/errors.js";
import { type FetchPhase, toFetchError } from "./fetch-errors.js";

/**
 * Reads a response body into memory, undoing Content-Encoding (gzip, deflate, br), with two hard
 * limits: bytes after decoding (so a 10 KiB gzip bomb is stopped as soon as it has inflated past the
 * limit, not after) and the wall-clock time for the whole body (undici's own bodyTimeout is an idle
 * timeout, which a server dripping one byte a second never trips).
 */
export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
  /** "error" (pages) fails past maxBytes; "truncate" (robots.txt) keeps the first maxBytes. */
  overLimit: "error" | "truncate";
}

export async function readDecodedBody(
  body: Readable,
  contentEncoding: string | null,
  limits: BodyLimits,
  url: string,
): Promise<Buffer> {
  const decoders = createDecoders(contentEncoding, url);
  const sink = new LimitedSink(limits, url);
  const timer = setTimeout(() => {
    body.destroy(
      new CopydeskError(
        "FETCH_TIMEOUT_BODY",
        `body from ${new URL(url).host} took over ${limits.timeoutMs} ms`,
        {
          details: { url, limitMs: limits.timeoutMs },
        },
      ),
    );
  }, limits.timeoutMs);
  try {
    await pipeline([body, ...decoders, sink]);
  } catch (error) {
    if (!(sink.full && limits.overLimit === "truncate"))
      throw toFetchError(error, url, "body" satisfies FetchPhase);
  } finally {
    clearTimeout(timer);
    // On the truncate path the pipeline was cut short on purpose; make sure nothing stays open.
    abandonBody(body);
  }
  return sink.contents();
}

/**
 * Drops a response body we will not read. An undici body destroyed before its end emits an
 * "aborted" error, which nobody is listening for once we have decided to stop: swallow it here.
 */
export function abandonBody(body: Readable): void {
  if (body.destroyed) return;
  body.on("error", () => {});
  body.destroy();
}

/** A body we do not need is read this far (to keep the connection reusable), then dropped. */
const DRAIN_LIMIT_BYTES = 64 * 1024;
const DRAIN_TIMEOUT_MS = 1000;

/**
 * Reads a little of a body we do not need (a redirect's, an answer the caller did not read), within
 * a time bound, so the connection goes back to the pool instead of being closed. Anything longer or
 * slower is abandoned.
 */
export async function drainBody(body: Readable): Promise<void> {
  const dumpable = body as Readable & {
    dump?: (options: { limit: number; signal?: AbortSignal }) => Promise<void>;
  };
  if (typeof dumpable.dump !== "function") {
    abandonBody(body);
    return;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), DRAIN_TIMEOUT_MS);
  try {
    await dumpable.dump({ limit: DRAIN_LIMIT_BYTES, signal: controller.signal });
  } catch {
    abandonBody(body);
  } finally {
    clearTimeout(timer);
  }
}

/** Decoders for a Content-Encoding list, in the order to apply them (the reverse of the header's). */
function createDecoders(contentEncoding: string | null, url: string): Transform[] {
  const codings = (contentEncoding ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
  return codings.reverse().map((coding) => {
    switch (coding) {
      case "gzip":
      case "x-gzip":
        // Unzip also accepts a zlib stream mislabelled as gzip.
        return zlib.createUnzip();
      case "deflate":
        return new AutoInflate();
      case "br":
        return zlib.createBrotliDecompress();
      default:
        throw new CopydeskError("FETCH_DECODE", `unsupported Content-Encoding "${coding}"`, {
          details: { url, contentEncoding },
        });
    }
  });
}

/**
 * "deflate" means a zlib stream (RFC 9110), but some servers send raw deflate: the first two bytes
 * tell which, so the real decoder is chosen when they arrive.
 */
class AutoInflate extends Transform {
  #inner: zlib.Inflate | zlib.InflateRaw | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.#inner) {
      const first = chunk[0] ?? 0;
      const second = chunk[1] ?? 0;
      const zlibHeader = (first & 0x0f) === 8 && ((first << 8) | second) % 31 === 0;
      const inner = zlibHeader ? zlib.createInflate() : zlib.createInflateRaw();
      inner.on("data", (data: Buffer) => this.push(data));
      inner.on("error", (error) => this.destroy(error));
      this.#inner = inner;
    }
    this.#inner.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    const inner = this.#inner;
    if (!inner) {
      callback();
      return;
    }
    inner.once("end", () => callback());
    inner.end();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.#inner?.destroy();
    callback(error);
  }
}

/** Collects decoded bytes and fails (or stops) as soon as there are more than the limit. */
class LimitedSink extends Writable {
  readonly #chunks: Buffer[] = [];
  readonly #limits: BodyLimits;
  readonly #url: string;
  #size = 0;
  full = false;

  constructor(limits: BodyLimits, url: string) {
    super();
    this.#limits = limits;
    this.#url = url;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const room = this.#limits.maxBytes - this.#size;
    if (chunk.byteLength <= room) {
      this.#chunks.push(chunk);
      this.#size += chunk.byteLength;
      callback();
      return;
    }
    this.full = true;
    if (this.#limits.overLimit === "truncate") {
      this.#chunks.push(chunk.subarray(0, room));
      this.#size += room;
    }
    callback(
      new CopydeskError(
        "FETCH_BODY_TOO_LARGE",
        `body from ${new URL(this.#url).host} is over ${this.#limits.maxBytes} bytes once decoded`,
        { details: { url: this.#url, limitBytes: this.#limits.maxBytes } },
      ),
    );
  }

  contents(): Buffer {
    return Buffer.concat(this.#chunks, this.#size);
  }
}
