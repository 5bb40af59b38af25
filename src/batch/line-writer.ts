/**
 * Writes NDJSON lines to a pipe (stdout) for `copydesk export` and the batch commands: it waits
 * when the pipe is full, so memory stays flat at any size, and a reader that went away (EPIPE,
 * `copydesk export | head`) stops the writing quietly instead of failing the command.
 */
export class LineWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  private gone = false;

  /**
   * `chunkLength` (in string length, near enough to bytes) gathers small lines into fewer, larger
   * writes, which is what keeps a large export fast; 0 writes each line as it comes, for a batch
   * whose reader should see every page as soon as it is done.
   */
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly chunkLength = 0,
  ) {
    out.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") this.gone = true;
      else throw error;
    });
  }

  /** True once the reader has gone away: the caller should stop producing lines. */
  get closed(): boolean {
    return this.gone;
  }

  /** Takes one line, newline included; resolves once the pipe can take more. */
  async write(line: string): Promise<void> {
    if (this.gone) return;
    this.pending.push(line);
    this.pendingLength += line.length;
    if (this.pendingLength >= this.chunkLength) await this.flush();
  }

  /**
   * Flushes, then waits until what was written has left the stream's buffer: for a caller that
   * reports on stderr next (a batch's summary) and wants its lines to come first.
   */
  async end(): Promise<void> {
    await this.flush();
    if (this.gone) return;
    await new Promise<void>((resolve) => this.out.write("", () => resolve()));
  }

  /** Writes out the lines gathered so far, and resolves once the pipe can take more. */
  async flush(): Promise<void> {
    if (this.pending.length === 0 || this.gone) return;
    const text = this.pending.join("");
    this.pending = [];
    this.pendingLength = 0;
    if (!this.out.write(text)) await this.drained();
  }

  /** Until the pipe takes more, or goes away: events.once would reject on the EPIPE we mean to absorb. */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        for (const event of ["drain", "close", "error"]) this.out.off(event, done);
        resolve();
      };
      for (const event of ["drain", "close", "error"]) this.out.once(event, done);
    });
  }
}
