import { describe, expect, it } from "vitest";
import { runCopydesk as copydesk } from "./support/cli.js";

// The CLI runs in a child that does not block this process, so each test's own time limit holds.
describe("CLI usage errors", () => {
  it.each([
    [
      "an unknown option",
      ["extract", "page.html", "--url", "https://example.org/a", "--nope"],
      "copydesk: INPUT_INVALID: unknown option '--nope' (see `copydesk extract --help`)",
    ],
    [
      "an unknown option of a subcommand",
      ["jobs", "retry", "--every"],
      "copydesk: INPUT_INVALID: unknown option '--every' (see `copydesk jobs retry --help`)",
    ],
    [
      "an unknown command",
      ["frobnicate"],
      "copydesk: INPUT_INVALID: unknown command 'frobnicate' (see `copydesk --help`)",
    ],
    [
      "a misspelt command",
      ["extrct"],
      "copydesk: INPUT_INVALID: unknown command 'extrct' (Did you mean extract?) (see `copydesk --help`)",
    ],
    [
      "a missing argument",
      ["extract", "--url", "https://example.org/a"],
      "copydesk: INPUT_INVALID: missing required argument 'file' (see `copydesk extract --help`)",
    ],
    [
      "a missing required option",
      ["sources", "add", "wsj", "https://www.wsj.com/feed"],
      "copydesk: INPUT_INVALID: required option '--kind <kind>' not specified (see `copydesk sources add --help`)",
    ],
    [
      "an option without its value",
      ["fetch", "https://example.org/a", "--out"],
      "copydesk: INPUT_INVALID: option '--out <file>' argument missing (see `copydesk fetch --help`)",
    ],
  ])("%s: exits 2 with one line on stderr", async (_what, args, line) => {
    const result = await copydesk(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`${line}\n`);
  });

  it("help and the version still go to stdout with exit 0", async () => {
    const help = await copydesk(["extract", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: copydesk extract [options] [file...]");
    expect(help.stdout).toContain("--engine <engine>");
    const version = await copydesk(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
