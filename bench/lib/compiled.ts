import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A tree's TypeScript compiled to JavaScript in a temporary folder, so that a benchmark's children
 * run copydesk the way it ships (bin/copydesk.js and its worker threads load dist/ under plain
 * Node), not through tsx, whose loader keeps every module's transformed source and source map:
 * about 30 MiB of RSS that no deployment carries.
 *
 * Types are not checked here (`npm run typecheck` does that); the output sits beside a link to
 * the tree's node_modules and a package.json that makes it ES modules, as the tree's own is.
 */
export interface CompiledTree {
  dir: string;
  /** The compiled counterpart of `path` inside the tree (src/parsers/parse-page.ts → …/parse-page.js). */
  resolve: (path: string) => string;
  remove: () => void;
}

export function compileTree(root: string, folders: readonly string[]): CompiledTree {
  const dir = mkdtempSync(join(tmpdir(), "copydesk-compiled-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const config = join(dir, "tsconfig.json");
    writeFileSync(
      config,
      JSON.stringify({
        extends: join(root, "tsconfig.json"),
        compilerOptions: {
          noEmit: false,
          outDir: join(dir, "out"),
          rootDir: root,
          sourceMap: false,
          declaration: false,
          incremental: false,
        },
        include: folders.map((folder) => join(root, folder)),
      }),
    );
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    if (!existsSync(tsc))
      throw new Error(`no TypeScript compiler in ${root}/node_modules (run npm ci there)`);
    execFileSync(process.execPath, [tsc, "-p", config, "--noCheck"], { stdio: ["ignore", "pipe", "pipe"] });
    writeFileSync(join(dir, "out", "package.json"), '{ "type": "module" }\n');
    symlinkSync(join(root, "node_modules"), join(dir, "out", "node_modules"), "dir");
  } catch (error) {
    remove();
    const output = (error as { stdout?: Buffer }).stdout?.toString().trim();
    throw new Error(`could not compile ${root}${output ? `:\n${output}` : ""}`, { cause: error });
  }
  return {
    dir: join(dir, "out"),
    resolve: (path) => join(dir, "out", path.replace(/\.ts$/, ".js")),
    remove,
  };
}
