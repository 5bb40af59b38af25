import { isCopydeskError } from "../domain/errors.js";
import { parsePage } from "../parsers/parse-page.js";
import type { ExtractReply, ExtractTask } from "./extract-pool.js";
import { withRetirement } from "./thread-heap.js";

/**
 * Runs in a piscina worker thread: extraction is CPU-bound (DOM parsing, Readability), so it must
 * not share the event loop that renews job locks and talks to Redis and publishers.
 *
 * Errors cross the thread boundary as plain objects because structured cloning drops an Error's
 * class and its fields; the pool turns them back into CopydeskErrors.
 */
export default function extractInWorker(task: ExtractTask): ExtractReply {
  // The page's time limit starts now (the pool ends this thread if it runs past it).
  task.started.postMessage(null);
  return withRetirement(extractPage(task));
}

function extractPage(task: ExtractTask): ExtractReply {
  try {
    return { ok: true, record: parsePage(task.input, task.engine ? { engine: task.engine } : {}) };
  } catch (error) {
    if (isCopydeskError(error)) return { ok: false, code: error.code, message: error.message };
    return {
      ok: false,
      code: "EXTRACT_FAILED",
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
