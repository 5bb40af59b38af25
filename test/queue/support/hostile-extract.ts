import { execFileSync } from "node:child_process";
import { getHeapStatistics } from "node:v8";
import { threadId } from "node:worker_threads";
import type { ExtractReply, ExtractTask } from "../../../src/queue/extract-pool.js";
import { withRetirement } from "../../../src/queue/thread-heap.js";
import { fakeExtract } from "./fake-extract.js";

/** What a `bloat` page leaves behind: the heap stays grown after it answers. */
const retained: string[][] = [];

/**
 * A worker module for extraction-pool tests: pages whose html is `spin` never return, pages whose
 * html is `allocate` grow the heap until the thread's limit ends it, pages whose html is `block:<ms>`
 * hold the thread in a blocking system call (a terminate waits for it to return, so the thread
 * exits that long after it was ended), a `bloat` page keeps most of the thread's heap limit in use
 * after it answers, a `thread` page answers with its thread's id as title; any other page gets the fake
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
  if (task.input.html === "bloat") {
    const limit = getHeapStatistics().heap_size_limit;
    while (getHeapStatistics().total_heap_size < 0.8 * limit) {
      retained.push(Array.from({ length: 1024 }, (_, j) => `${retained.length}:${j}`));
    }
  }
  const record = fakeExtract(task.input);
  if (task.input.html === "thread") record.title = `thread ${threadId}`;
  return withRetirement({ ok: true, record });
}
