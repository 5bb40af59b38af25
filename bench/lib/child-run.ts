import { fork } from "node:child_process";
import type { ExtractorRun, PageRun } from "./extraction-run.js";

/**
 * Each extractor runs in a child process of the benchmark script, one after the other, so its peak
 * RSS is its own and one extractor's garbage does not slow the other down.
 */

export type ChildMessage =
  /** A page of the first pass, text and all, as soon as it is done. */
  | { type: "page"; done: number; page: PageRun }
  /** The whole run, its pages without their texts (the parent has them from the page messages). */
  | { type: "result"; run: ExtractorRun };

/** Child side: hands a message to the parent and waits until it is written. */
export function sendToParent(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error("not started as a child process (no IPC channel)"));
      return;
    }
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

const STDERR_TAIL_CHARS = 4000;

/**
 * A child script in TypeScript is loaded with tsx's ESM loader only (the benchmarks run compiled
 * children, see compiled.ts; a .ts child is for a harness that has not compiled its tree). Under the full `tsx` command its
 * CommonJS hook also recompiles the ESM-only packages that CommonJS code requires (jsdom → parse5 8) into
 * getter-based CommonJS, and parse5's tokenizer then spends about 20% more CPU on every page than under
 * plain Node, which loads them with its own require(esm).
 */
const TSX_EXEC_ARGV = ["--import", import.meta.resolve("tsx/esm")];

/**
 * Parent side: forks `script` with `args` and resolves with the run the child sends back, its pages'
 * texts put back from the page messages.
 */
export function runInChild(
  script: string,
  args: readonly string[],
  onProgress: (done: number, id: string) => void,
  extraExecArgv: readonly string[] = [],
): Promise<ExtractorRun> {
  return new Promise((resolve, reject) => {
    // The child's own output (jsdom's CSS warnings, mostly) is kept out of the report; its tail is shown
    // only if the child fails.
    const child = fork(script, [...args], {
      execArgv: [...(script.endsWith(".ts") ? TSX_EXEC_ARGV : []), ...extraExecArgv],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let run: ExtractorRun | undefined;
    const texts = new Map<string, string>();
    let stderrTail = "";
    child.stdout?.resume();
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on("message", (message: ChildMessage) => {
      if (message.type === "page") {
        texts.set(message.page.id, message.page.text);
        onProgress(message.done, message.page.id);
      } else run = message.run;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (run && code === 0)
        resolve({
          ...run,
          pages: run.pages.map((page) => ({ ...page, text: texts.get(page.id) ?? page.text })),
        });
      else
        reject(
          new Error(`child ${args.join(" ")} ended with ${signal ?? `exit code ${code}`}\n${stderrTail}`),
        );
    });
  });
}
