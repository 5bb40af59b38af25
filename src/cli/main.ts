import { Command, CommanderError } from "commander";
import { isCopydeskError } from "../domain/errors.js";
import { declareCommands } from "./commands.js";
import { EXIT_ENVIRONMENT, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./exit-codes.js";

// Nothing here may import a command module, the DOM, the queue, the API or a database driver at
// the top: `copydesk --help` and usage errors must cost no more than node and commander. The
// command that runs loads its action (src/cli/commands.ts).

/** Thrown while parsing when --version is given; the version lives beside the record's zod schema. */
const VERSION_REQUESTED = "copydesk.version";

function newProgram(): Command {
  return new Command()
    .name("copydesk")
    .description("Turn news pages into one clean, canonical article record per story.")
    .exitOverride();
}

/**
 * Commander's usage errors as one line, `copydesk: INPUT_INVALID: <what> (see `<command> --help`)`,
 * like every other bad-input error of the CLI. Set on each command, so the hint names the one
 * whose arguments were wrong.
 */
function reportUsageErrorsOnOneLine(command: Command): void {
  const path: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) path.unshift(at.name());
  command.configureOutput({
    outputError: (message, write) => {
      const what = message
        .replace(/^error: /, "")
        .replace(/\s*\n\s*/g, " ")
        .trim();
      write(`copydesk: INPUT_INVALID: ${what} (see \`${path.join(" ")} --help\`)\n`);
    },
  });
  for (const sub of command.commands) reportUsageErrorsOnOneLine(sub);
}

/** The program `copydesk` parses: every command, each loading its action when it runs. */
export function buildProgram(): Command {
  const program = newProgram().option("-V, --version", "output the version number");
  // Commander's own .version() wants the string now, and reading EXTRACTOR_VERSION loads zod.
  program.on("option:version", () => {
    throw new CommanderError(0, VERSION_REQUESTED, "--version");
  });
  declareCommands(program);
  reportUsageErrorsOnOneLine(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError && error.code === VERSION_REQUESTED) {
      const { EXTRACTOR_VERSION } = await import("../domain/article.js");
      process.stdout.write(`${EXTRACTOR_VERSION}\n`);
      return EXIT_OK;
    }
    return reportCliError(error);
  }
}

export function reportCliError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed the help, or the usage error as one line.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.help") return EXIT_OK;
    return EXIT_USAGE;
  }
  if (isCopydeskError(error)) {
    process.stderr.write(`copydesk: ${error.code}: ${error.message}\n`);
    return error.action === "stop" ? EXIT_ENVIRONMENT : EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`copydesk: unexpected error: ${message}\n`);
  if (process.env.COPYDESK_DEBUG) console.error(error);
  return EXIT_FAILURE;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1]);
if (invokedDirectly || process.argv[1]?.endsWith("src/cli/main.ts")) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
