import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CopydeskError } from "../domain/errors.js";
import { type Source, type SourceInput, SourceSchema, SourcesFileSchema } from "../domain/source.js";

/**
 * The sources file: JSON `{ "sources": [...] }`, edited by hand or through `copydesk sources`.
 * A missing file is an empty list; a malformed one stops the command that reads it.
 */
export function readSourcesFile(file: string): Source[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new CopydeskError("CONFIG_INVALID", `cannot read the sources file ${file}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CopydeskError("CONFIG_INVALID", `the sources file ${file} is not JSON`, { cause: error });
  }
  const parsed = SourcesFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CopydeskError(
      "CONFIG_INVALID",
      `the sources file ${file}: ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}`,
    );
  }
  const ids = new Set<string>();
  for (const source of parsed.data.sources) {
    if (ids.has(source.id))
      throw new CopydeskError("CONFIG_INVALID", `the sources file ${file}: duplicate id ${source.id}`);
    ids.add(source.id);
  }
  return parsed.data.sources;
}

/** Written to a temp file and renamed, so a scheduler reading it never sees half a file. */
export function writeSourcesFile(file: string, sources: readonly Source[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ sources }, null, 2)}\n`);
  renameSync(temp, file);
}

export function addSource(file: string, input: SourceInput): Source {
  const parsed = SourceSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CopydeskError(
      "INPUT_INVALID",
      `${issue?.path.join(".") || "source"}: ${issue?.message ?? "invalid"}`,
    );
  }
  const sources = readSourcesFile(file);
  if (sources.some((source) => source.id === parsed.data.id)) {
    throw new CopydeskError("INPUT_INVALID", `a source with id ${parsed.data.id} exists already`);
  }
  writeSourcesFile(file, [...sources, parsed.data]);
  return parsed.data;
}

export function removeSource(file: string, id: string): boolean {
  const sources = readSourcesFile(file);
  const kept = sources.filter((source) => source.id !== id);
  if (kept.length === sources.length) return false;
  writeSourcesFile(file, kept);
  return true;
}
