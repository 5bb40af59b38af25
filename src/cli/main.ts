import { Command, CommanderError } from "commander";
import { EXTRACTOR_VERSION } from "../domain/article.js";
import { isCopydeskError } from "../domain/errors.js";
import { registerDemo } from "./demo.js";
import { EXIT_ENVIRONMENT, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./exit-codes.js";
import { registerExport } from "./export.js";
import { registerExtract } from "./extract.js";
import { registerFetch } from "./fetch.js";
import { registerIngest } from "./ingest.js";
import { registerJobs } from "./jobs.js";
import { registerMigrate } from "./migrate.js";
import { registerReextract } from "./reextract.js";
import { registerRefetch } from "./refetch.js";
import { registerScheduler } from "./scheduler.js";
import { registerSchema } from "./schema.js";
import { registerServe } from "./serve.js";
import { registerSources } from "./sources.js";
import { registerStart } from "./start.js";
import { registerWorker } from "./worker.js";

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("copydesk")
    .description("Turn news pages into one clean, canonical article record per story.")
    .version(EXTRACTOR_VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerExtract(program);
  registerFetch(program);
  registerIngest(program);
  registerSchema(program);
  registerWorker(program);
  registerScheduler(program);
  registerRefetch(program);
  registerStart(program);
  registerSources(program);
  registerJobs(program);
  registerDemo(program);
  registerServe(program);
  registerMigrate(program);
  registerExport(program);
  registerReextract(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT_OK;
  } catch (error) {
    return reportCliError(error);
  }
}

export function reportCliError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed help, the version or the usage error.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT_OK;
    if (error.code === "commander.help") return EXIT_OK;
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
