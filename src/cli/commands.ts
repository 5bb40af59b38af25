import type { Command } from "commander";

/**
 * A command's action, loaded when the command runs: only it pays for its module's imports (DOM,
 * queue, API, drivers), and `copydesk --help`, `copydesk <cmd> --help` and usage errors cost no
 * more than commander.
 */
function lazy<A extends unknown[]>(load: () => Promise<(...args: A) => unknown>) {
  return async (...args: A): Promise<void> => {
    await (await load())(...args);
  };
}

/**
 * Every command: its arguments, options and descriptions here, its action in its own module
 * (src/cli/<command>.ts), imported when it runs.
 */
export function declareCommands(program: Command): void {
  program
    .command("extract")
    .description(
      "Extract article records from saved pages: one page (with --url) as JSON, Markdown or text; " +
        "several files, folders or a WARC as NDJSON, one line per page, on every CPU.",
    )
    .argument("[file...]", "HTML files, folders (walked for .html and .htm files), or - for standard input")
    .option("--url <url>", "one page: the URL it was fetched from (resolves links, picks site rules)")
    .option(
      "--base-url <url>",
      "a batch: each file's URL is this plus its path below the folder (default: the page's canonical URL)",
    )
    .option("--warc <file>", "read the HTML pages of a WARC file (.warc or .warc.gz) as a batch")
    .option("--format <format>", "json (the record), markdown or text (the body)", "json")
    .option(
      "--fetched-at <iso>",
      "when the page was fetched (default: now; a WARC's records carry their own)",
    )
    .option("--content-type <type>", "the Content-Type header it was served with (for its charset)")
    .option("--engine <engine>", "DOM implementation: tree (fast, default) or jsdom (reference)", "tree")
    .option("--threads <n>", "a batch: extraction threads (default: one per CPU)")
    .option("--compact", "one page: print the JSON on one line")
    .option("--json", "a batch: print the summary on stderr as JSON")
    .option("--no-progress", "a batch: no progress bar on stderr, even on a terminal")
    .action(lazy(async () => (await import("./extract.js")).extractCommand));

  program
    .command("fetch")
    .description(
      "Fetch one page the way the workers do (robots.txt, per-host delay, size and time limits, SSRF guard) and print a summary.",
    )
    .argument("<url>", "the http(s) URL to fetch")
    .option("--out <file>", "write the page's HTML to a file (UTF-8)")
    .option("--json", "print the summary as JSON")
    .option("--if-none-match <etag>", "send a conditional GET with this ETag")
    .option("--if-modified-since <date>", "send a conditional GET with this HTTP date")
    .action(lazy(async () => (await import("./fetch.js")).fetchCommand));

  program
    .command("ingest")
    .description(
      "Fetch article URLs and extract them (no queue, no server): one URL printed like extract's one page; " +
        "a list (--urls) as NDJSON, one line per page.",
    )
    .argument("[url]", "the http(s) URL of the article")
    .option("--urls <file>", "a file of URLs, one per line (# comments; - for standard input)")
    .option("--format <format>", "json (the record), markdown or text (the body)", "json")
    .option("--engine <engine>", "DOM implementation: tree (fast, default) or jsdom (reference)", "tree")
    .option("--threads <n>", "with --urls: extraction threads (default: one per CPU)")
    .option("--compact", "one URL: print the JSON on one line")
    .option("--json", "with --urls: print the summary on stderr as JSON")
    .option("--no-progress", "with --urls: no progress bar on stderr, even on a terminal")
    .action(lazy(async () => (await import("./ingest.js")).ingestCommand));

  program
    .command("schema")
    .description(
      "Print the JSON Schema of the article record (or write docs/article.schema.json and docs/export-line.schema.json).",
    )
    .option("--export-line", "print the schema of an export line instead")
    .option("--write", "write both schemas to docs/ instead of printing one")
    .option("--check", "exit 1 when a schema in docs/ is stale")
    .action(lazy(async () => (await import("./schema.js")).schemaCommand));

  program
    .command("worker")
    .description("Run a pipeline worker: fetch, extract and store queued articles, poll sources (REDIS_URL).")
    .option("--concurrency <n>", "article jobs in flight (default COPYDESK_WORKER_CONCURRENCY)")
    .option("--threads <n>", "extraction threads; 0 = CPUs - 1 (default COPYDESK_EXTRACT_THREADS)")
    .action(lazy(async () => (await import("./worker.js")).workerCommand));

  program
    .command("scheduler")
    .description("Schedule source polls from the sources file (REDIS_URL); re-syncs when the file changes.")
    .option("--once", "sync the schedulers and exit")
    .action(lazy(async () => (await import("./scheduler.js")).schedulerCommand));

  program
    .command("refetch")
    .description("Queue a manual re-fetch of an article URL (ahead of scheduled work).")
    .argument("<url>", "the article URL")
    .option("--force", "re-fetch and re-extract even when the page says it has not changed")
    .option("--wait", "wait for the job to finish and print its outcome")
    .option("--timeout <seconds>", "with --wait: give up waiting after this long", "120")
    .option("--json", "print JSON")
    .action(lazy(async () => (await import("./refetch.js")).refetchCommand));

  program
    .command("start")
    .description(
      "Run the API, the scheduler and workers in one process (private redis-server without REDIS_URL).",
    )
    .option("--concurrency <n>", "article jobs in flight (default COPYDESK_WORKER_CONCURRENCY)")
    .action(lazy(async () => (await import("./start.js")).startCommand));

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
    .action(lazy(async () => (await import("./sources.js")).sourcesAddCommand));
  sources
    .command("list")
    .description("List the sources.")
    .option("--json", "print JSON")
    .action(lazy(async () => (await import("./sources.js")).sourcesListCommand));
  sources
    .command("remove")
    .description("Remove a source and its job scheduler in Redis at once (no poll after it).")
    .argument("<id>")
    .option("--timeout <seconds>", "give up on Redis after this long (the file is edited anyway)", "10")
    .action(lazy(async () => (await import("./sources.js")).sourcesRemoveCommand));

  const jobs = program.command("jobs").description("Inspect and replay failed jobs.");
  jobs
    .command("failed")
    .description("List failed jobs with their reasons.")
    .option("--limit <n>", "at most this many", "50")
    .option("--json", "print JSON")
    .action(lazy(async () => (await import("./jobs.js")).jobsFailedCommand));
  jobs
    .command("retry")
    .description("Move failed jobs back to the queue.")
    .argument("[ids...]", "job ids (see `jobs failed`)")
    .option("--all", "every failed job")
    .action(lazy(async () => (await import("./jobs.js")).jobsRetryCommand));
  jobs
    .command("remove")
    .description("Delete failed jobs.")
    .argument("[ids...]", "job ids (see `jobs failed`)")
    .option("--all", "every failed job")
    .action(lazy(async () => (await import("./jobs.js")).jobsRemoveCommand));

  program
    .command("demo")
    .description("Run the pipeline against a local demo newsroom for a while and print what it stored.")
    .option("--seconds <n>", "how long to run", "30")
    .option("--json", "print the summary as JSON")
    .action(lazy(async () => (await import("./demo.js")).demoCommand));

  program
    .command("serve")
    .description(
      "Start the HTTP API alone: JSON API under /v1, feeds, reader page at /, docs at /docs. " +
        "Re-fetches and the dashboard need REDIS_URL (and workers running elsewhere).",
    )
    .option("--host <host>", "address to listen on (default: HOST, else 127.0.0.1)")
    .option("--port <port>", "port to listen on, 0 for any free one (default: PORT, else 8080)")
    .action(lazy(async () => (await import("./serve.js")).serveCommand));

  program
    .command("migrate")
    .description(
      "Apply pending store migrations (SQLite under COPYDESK_DATA_DIR, or PostgreSQL at DATABASE_URL).",
    )
    .option("--json", "print the migration report as JSON")
    .action(lazy(async () => (await import("./migrate.js")).migrateCommand));

  program
    .command("export")
    .description("Write current article records as NDJSON to stdout, oldest change first.")
    .option("--since <iso>", "only articles changed at or after this ISO-8601 date or instant")
    .option("--site <host>", "only articles of this site (host without www.)")
    .action(lazy(async () => (await import("./export.js")).exportCommand));

  program
    .command("reextract")
    .description(
      "Rebuild article records from stored page snapshots (no refetch), e.g. after an extractor fix.",
    )
    .option("--site <host>", "only pages of this site (host without www.)")
    .option("--since <date>", "only pages fetched at or after this ISO-8601 date or instant")
    .option("--json", "print the summary as JSON")
    .action(lazy(async () => (await import("./reextract.js")).reextractCommand));
}
