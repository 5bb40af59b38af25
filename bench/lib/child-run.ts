import { fork } from "node:child_process";
import type { ExtractorRun } from "./extraction-run.js";

/**
 * Each extractor runs in a child process of the benchmark script, one after the other, so its peak
 * RSS is its own and one extractor's garbage does not slow the other down.
 */

export type ChildMessage =
  | { type: "progress"; done: number; id: string }
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
 * Children load the TypeScript sources with tsx's ESM loader only. Under the full `tsx` command its
 * CommonJS hook also recompiles the ESM-only packages that CommonJS code requires (jsdom → parse5 8) into
 * getter-based CommonJS, and parse5's tokenizer then spends about 20% more CPU on every page than under
 * plain Node, which loads them with its own require(esm).
 */
const CHILD_EXEC_ARGV = ["--import", import.meta.resolve("tsx/esm")];

/** Parent side: forks `script` with `args` and resolves with the run the child sends back. */
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
      execArgv: [...CHILD_EXEC_ARGV, ...extraExecArgv],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let run: ExtractorRun | undefined;
    let stderrTail = "";
    child.stdout?.resume();
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on("message", (message: ChildMessage) => {
      if (message.type === "progress") onProgress(message.done, message.id);
      else run = message.run;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (run && code === 0) resolve(run);
      else
        reject(
          new Error(`child ${args.join(" ")} ended with ${signal ?? `exit code ${code}`}\n${stderrTail}`),
        );
    });
  });
}
