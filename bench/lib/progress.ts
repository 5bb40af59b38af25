import { Presets, SingleBar } from "cli-progress";

/** What a benchmark reports as it goes; a no-op unless stderr is a terminal, so piped output stays clean. */
export interface Progress {
  start(label: string, total: number): void;
  update(done: number, item: string): void;
  stop(): void;
}

export function createProgress(): Progress {
  if (!process.stderr.isTTY) return { start() {}, update() {}, stop() {} };
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: "{label} [{bar}] {value}/{total} {item}",
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  return {
    start: (label, total) => bar.start(total, 0, { label: label.padEnd(12), item: "" }),
    update: (done, item) => bar.update(done, { item }),
    stop: () => bar.stop(),
  };
}
