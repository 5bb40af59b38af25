import type { Command } from "commander";
import { loadConfig } from "../config.js";
import { CopydeskError } from "../domain/errors.js";
import { parseDuration, SourceKindSchema } from "../domain/source.js";
import { addSource, readSourcesFile, removeSource } from "../queue/sources-file.js";

interface AddOptions {
  kind: string;
  every?: string;
  cron?: string;
  selector?: string;
  maxItems?: string;
}

/** `copydesk sources add|list|remove`: edits the sources file the scheduler reads. */
export function registerSources(program: Command): void {
  const sources = program.command("sources").description("Manage the sources polled for article URLs.");

  sources
    .command("add")
    .description("Add a feed, sitemap or aggregator listing page.")
    .argument("<id>", "a short id: lower-case letters, digits, '.', '_', '-'")
    .argument("<url>", "the feed, sitemap or listing page URL")
    .requiredOption(
      "--kind <kind>",
      "feed (RSS, Atom, JSON Feed), sitemap (news sitemap or index) or listing",
    )
    .option("--every <duration>", "poll interval: 30s, 15m, 2h (default 15m)")
    .option("--cron <pattern>", "cron pattern instead of --every")
    .option("--selector <css>", "listing pages: CSS selector of the item links")
    .option("--max-items <n>", "at most this many URLs per poll")
    .action((id: string, url: string, options: AddOptions) => {
      const config = loadConfig();
      const kind = SourceKindSchema.safeParse(options.kind);
      if (!kind.success) throw new CopydeskError("INPUT_INVALID", `--kind must be feed, sitemap or listing`);
      const everyMs = options.every === undefined ? undefined : parseDuration(options.every);
      if (everyMs === null)
        throw new CopydeskError("INPUT_INVALID", `--every: not a duration: ${options.every}`);
      const source = addSource(config.sourcesFile, {
        id,
        url,
        kind: kind.data,
        ...(everyMs !== undefined ? { everyMs } : {}),
        ...(options.cron ? { cron: options.cron } : {}),
        ...(options.selector ? { itemSelector: options.selector } : {}),
        ...(options.maxItems ? { maxItems: Number(options.maxItems) } : {}),
      });
      process.stdout.write(`added ${source.id} (${source.kind}) to ${config.sourcesFile}\n`);
    });

  sources
    .command("list")
    .description("List the sources.")
    .option("--json", "print JSON")
    .action((options: { json?: boolean }) => {
      const config = loadConfig();
      const list = readSourcesFile(config.sourcesFile);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) process.stdout.write(`no sources in ${config.sourcesFile}\n`);
      for (const source of list) {
        const when = source.cron
          ? `cron ${source.cron}`
          : `every ${Math.round((source.everyMs ?? 900_000) / 1000)}s`;
        process.stdout.write(`${source.id}\t${source.kind}\t${when}\t${source.url}\n`);
      }
    });

  sources
    .command("remove")
    .description("Remove a source (its scheduler goes at the scheduler's next sync).")
    .argument("<id>")
    .action((id: string) => {
      const config = loadConfig();
      if (!removeSource(config.sourcesFile, id))
        throw new CopydeskError("INPUT_INVALID", `no source with id ${id}`);
      process.stdout.write(`removed ${id}\n`);
    });
}
