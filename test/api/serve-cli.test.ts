import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** `copydesk serve` as an operator runs it: starts, answers, and stops cleanly on SIGTERM. */
describe("copydesk serve", () => {
  it("serves the API on the configured address and exits 0 on SIGTERM", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "copydesk-serve-"));
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--port", "0"], {
      env: { PATH: process.env.PATH ?? "", COPYDESK_DATA_DIR: dataDir, HOST: "127.0.0.1", LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    try {
      let stderr = "";
      child.stderr.setEncoding("utf8");
      const address = await new Promise<string>((resolve, reject) => {
        child.stderr.on("data", (chunk: string) => {
          stderr += chunk;
          const match = /API on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
          if (match?.[1]) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      });
      expect(stderr).toMatch(/store sqlite/);
      expect(await (await fetch(`${address}/healthz`)).json()).toEqual({ status: "ok" });
      const ready = await (await fetch(`${address}/readyz`)).json();
      expect(ready.checks.redis.status).toBe("skipped");
      const refetch = await fetch(`${address}/v1/refetch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: "https://example.com/" }),
      });
      expect(refetch.status).toBe(403);

      // A connection that has sent nothing (a browser opens these ahead of need) must not hold the
      // shutdown: node's close() alone waits for it for as long as the client keeps it.
      const { port } = new URL(address);
      const silent = connect(Number(port), "127.0.0.1");
      await new Promise((resolve) => silent.once("connect", resolve));
      silent.on("error", () => {}); // a reset is as good an end as a FIN
      const silentClosed = new Promise((resolve) => silent.once("close", resolve));
      silent.resume();

      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      await silentClosed;
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
