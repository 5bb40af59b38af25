import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { LineWriter } from "../../src/batch/line-writer.js";

/** A pipe whose reader takes each write only when the test says so (`take`), or fails it. */
function heldPipe(): Writable & { writes: string[]; take(error?: Error): void } {
  const writes: string[] = [];
  let held: ((error?: Error) => void) | undefined;
  const out = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString());
      held = callback;
    },
  });
  return Object.assign(out, {
    writes,
    take(error?: Error) {
      const callback = held;
      held = undefined;
      callback?.(error);
    },
  });
}

function collectingPipe(): Writable & { writes: string[] } {
  const writes: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString());
      callback();
    },
  });
  return Object.assign(out, { writes });
}

/** Whether `promise` is still pending once everything already queued has run. */
async function pending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol("pending");
  const first = await Promise.race([promise, new Promise((resolve) => setImmediate(resolve, marker))]);
  return first === marker;
}

const epipe = () => Object.assign(new Error("write EPIPE"), { code: "EPIPE" });

describe("LineWriter", () => {
  it("gathers lines into writes of the chunk length, and writes the rest on flush", async () => {
    const out = collectingPipe();
    const writer = new LineWriter(out, 10);
    await writer.write("aaaa\n");
    expect(out.writes).toEqual([]);
    await writer.write("bbbb\n");
    await writer.write("c\n");
    expect(out.writes).toEqual(["aaaa\nbbbb\n"]);
    await writer.flush();
    expect(out.writes).toEqual(["aaaa\nbbbb\n", "c\n"]);
  });

  it("writes each line as it comes when there is no chunk length", async () => {
    const out = collectingPipe();
    const writer = new LineWriter(out);
    await writer.write("one\n");
    await writer.write("two\n");
    expect(out.writes).toEqual(["one\n", "two\n"]);
  });

  it("waits while the pipe is full, until the reader takes the line", async () => {
    const out = heldPipe();
    const writer = new LineWriter(out);
    const write = writer.write("one\n");
    expect(await pending(write)).toBe(true);
    out.take();
    await write;
    expect(out.writes).toEqual(["one\n"]);
    expect(writer.closed).toBe(false);
  });

  it("stops quietly when the reader goes away while it waits (EPIPE), and writes nothing more", async () => {
    const out = heldPipe();
    const writer = new LineWriter(out, 4);
    const write = writer.write("one\n");
    expect(await pending(write)).toBe(true);
    out.take(epipe());
    await expect(write).resolves.toBeUndefined();
    expect(writer.closed).toBe(true);
    await writer.write("two\n");
    await writer.end();
    expect(out.writes).toEqual(["one\n"]);
  });

  it("ends once what it wrote has left the stream's buffer", async () => {
    const out = heldPipe();
    const writer = new LineWriter(out, 1024);
    await writer.write("one\n");
    const end = writer.end();
    expect(await pending(end)).toBe(true);
    out.take();
    expect(await pending(end)).toBe(true);
    out.take();
    await end;
    expect(out.writes.join("")).toBe("one\n");
  });
});
