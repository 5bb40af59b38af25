import { execFileSync } from "node:child_process";
import type { ExtractReply, ExtractTask } from "../../../src/queue/extract-pool.js";
import { fakeExtract } from "./fake-extract.js";

/**
 * A worker module for extraction-pool tests: pages whose html is `spin` never return, pages whose
 * html is `allocate` grow the heap until the thread's limit ends it, pages whose html is `block:<ms>`
 * hold the thread in a blocking system call (a terminate waits for it to return, so the thread
 * exits that long after it was ended); any other page gets the fake
 * extractor's record. It speaks the real worker's protocol (the `started` message first).
 */
export default function hostileExtract(task: ExtractTask): ExtractReply {
  task.started.postMessage(null);
  if (task.input.html === "spin") for (;;);
  if (task.input.html.startsWith("block:")) {
    execFileSync("sleep", [String(Number(task.input.html.slice(6)) / 1000)]);
  }
  if (task.input.html === "allocate") {
    const kept: string[][] = [];
    for (let i = 0; ; i++) kept.push(Array.from({ length: 1024 }, (_, j) => `${i}:${j}`));
  }
  return { ok: true, record: fakeExtract(task.input) };
}
