#!/usr/bin/env node
// The published entry point runs the compiled CLI (built by `npm ci` through the prepare script),
// never the TypeScript through tsx: tsx's loader alone costs about 0.6 s of CPU per start.
const entry = new URL("../dist/cli/main.js", import.meta.url);

let cli;
try {
  cli = await import(entry.href);
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes(entry.pathname)) throw error;
  process.stderr.write("copydesk: DEPENDENCY_MISSING: dist/ is not built (run npm run build)\n");
  process.exit(3);
}
process.exitCode = await cli.main(process.argv.slice(2));
