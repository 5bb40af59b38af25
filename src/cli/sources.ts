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
export const sourcesAddCommand = (id: string, url: string, options: AddOptions) => {
  const config = loadConfig();
  const kind = SourceKindSchema.safeParse(options.kind);
  if (!kind.success) throw new CopydeskError("INPUT_INVALID", `--kind must be feed, sitemap or listing`);
  const everyMs = options.every === undefined ? undefined : parseDuration(options.every);
  if (everyMs === null) throw new CopydeskError("INPUT_INVALID", `--every: not a duration: ${options.every}`);
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
};

export const sourcesListCommand = (options: { json?: boolean }) => {
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
};

export const sourcesRemoveCommand = (id: string) => {
  const config = loadConfig();
  if (!removeSource(config.sourcesFile, id))
    throw new CopydeskError("INPUT_INVALID", `no source with id ${id}`);
  process.stdout.write(`removed ${id}\n`);
};
