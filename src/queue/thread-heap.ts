import { getHeapStatistics } from "node:v8";
import { threadId } from "node:worker_threads";
import type { ExtractReply } from "./extract-pool.js";

/**
 * A thread whose heap has grown past this share of its limit asks to be retired after its page:
 * V8 keeps a heap it grew for one huge page long after the page is gone, and two such threads hold
 * their whole caps for good. Over the benchmark corpora a thread's heap stays under 150 MiB of its
 * 240 MiB limit (192 MiB old generation and the young one), so real pages never trigger it.
 */
export const RETIRE_AT_HEAP_SHARE = 0.75;

/** The reply, marked for the pool to end this thread after it when the heap has grown too far. */
export function withRetirement(reply: ExtractReply): ExtractReply {
  const heap = getHeapStatistics();
  if (heap.total_heap_size > RETIRE_AT_HEAP_SHARE * heap.heap_size_limit) reply.retireThread = threadId;
  return reply;
}
