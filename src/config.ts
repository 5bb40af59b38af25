import { createHash } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { CopydeskError } from "./domain/errors.js";
import { loadExtractTimeoutMs } from "./extract-config.js";

/**
 * The only reader of process.env: everything else receives a typed Config.
 * Defaults are the embedded ones, so the product runs with nothing installed or configured.
 */
const csv = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

const EnvSchema = z.object({
  COPYDESK_DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.string().optional(),
  REDIS_URL: z.string().optional(),
  COPYDESK_USER_AGENT: z.string().default("copydesk/0.1 (+https://github.com/copydesk/copydesk; bot)"),
  COPYDESK_CONTACT_URL: z.string().default("https://github.com/copydesk/copydesk"),
  /** Hosts or IPs that the SSRF guard lets through (tests and local demos: 127.0.0.1). */
  COPYDESK_ALLOW_HOSTS: csv,
  COPYDESK_HOST_DELAY_MS: z.coerce.number().int().nonnegative().default(1000),
  COPYDESK_HOST_CONCURRENCY: z.coerce.number().int().positive().default(2),
  COPYDESK_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  COPYDESK_WORKER_CONCURRENCY: z.coerce.number().int().positive().default(4),
  COPYDESK_EXTRACT_THREADS: z.coerce.number().int().nonnegative().default(0),
  /** The sources file (feeds, sitemaps, listing pages) that `sources add` writes and the scheduler reads. */
  COPYDESK_SOURCES_FILE: z.string().optional(),
  /** A URL discovered again within this window after its job finished is not fetched again. */
  COPYDESK_DEDUPE_WINDOW_MS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(30 * 60_000),
  COPYDESK_JOB_ATTEMPTS: z.coerce.number().int().positive().default(5),
  /** On SIGTERM, how long in-flight jobs may run on before they are released to other workers. */
  COPYDESK_SHUTDOWN_GRACE_MS: z.coerce.number().int().nonnegative().default(25_000),
  /**
   * API tokens, comma-separated. Each is either `sha256:<64 hex>` (the digest of the token: what
   * belongs in config files at rest) or a plain token, hashed here and never kept. Write tokens may
   * re-fetch, open the dashboard and read; read tokens may only read.
   */
  COPYDESK_API_TOKENS: csv,
  COPYDESK_API_READ_TOKENS: csv,
  /** Require a token for reads too; implied when COPYDESK_API_READ_TOKENS is set. */
  COPYDESK_API_AUTH_READS: z.stringbool().default(false),
  /** Requests per minute per token (per client address without one). */
  COPYDESK_API_RATE_LIMIT: z.coerce.number().int().positive().default(600),
  /** Origins allowed to call the API from a browser; empty (the default) turns CORS off. */
  COPYDESK_API_CORS_ORIGINS: csv,
  /** A client must send its whole request (headers and body) within this; slower ones get a 408. */
  COPYDESK_API_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Absolute URL the API is reached at (behind a proxy), for links in feeds; default: the request's. */
  COPYDESK_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The port a `copydesk worker` serves its own Prometheus /metrics on; unset or empty (the
   * default) serves none. 0 takes a free port, logged at start. `start` and `serve` need none: their
   * API's /metrics has it all.
   */
  COPYDESK_METRICS_PORT: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === "" ? undefined : value))
    .pipe(z.coerce.number<string>().int().min(0).max(65535).optional()),
  /** The worker's /metrics has no token check: loopback by default, widen it for a scraper elsewhere. */
  COPYDESK_METRICS_HOST: z.string().default("127.0.0.1"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  HTTP_PROXY: z.string().optional(),
  HTTPS_PROXY: z.string().optional(),
  NO_PROXY: z.string().optional(),
});

export interface Config {
  dataDir: string;
  sqlitePath: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  userAgent: string;
  contactUrl: string;
  allowHosts: string[];
  hostDelayMs: number;
  hostConcurrency: number;
  maxBodyBytes: number;
  workerConcurrency: number;
  extractThreads: number;
  /** How long one page may run in an extraction thread before the thread is ended (EXTRACT_TIMEOUT). */
  extractTimeoutMs: number;
  sourcesFile: string;
  dedupeWindowMs: number;
  jobAttempts: number;
  shutdownGraceMs: number;
  /** sha256 hex digests of the write tokens (refetch, dashboard, reads). */
  apiTokenHashes: string[];
  /** sha256 hex digests of the read-only tokens. */
  apiReadTokenHashes: string[];
  /** Whether reads need a token. */
  apiAuthReads: boolean;
  apiRateLimitPerMinute: number;
  apiCorsOrigins: string[];
  /** How long the API waits for a request's headers and body before it answers 408 and disconnects. */
  apiRequestTimeoutMs: number;
  publicUrl: string | undefined;
  /** Where a worker process serves /metrics; undefined: it serves none. */
  metricsPort: number | undefined;
  metricsHost: string;
  host: string;
  port: number;
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  proxy: { http: string | undefined; https: string | undefined; noProxy: string | undefined };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse({
    ...env,
    HTTP_PROXY: env.HTTP_PROXY ?? env.http_proxy,
    HTTPS_PROXY: env.HTTPS_PROXY ?? env.https_proxy,
    NO_PROXY: env.NO_PROXY ?? env.no_proxy,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CopydeskError(
      "CONFIG_INVALID",
      `invalid environment: ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}`,
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.COPYDESK_DATA_DIR);
  return {
    dataDir,
    sqlitePath: path.join(dataDir, "copydesk.sqlite"),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    userAgent: e.COPYDESK_USER_AGENT,
    contactUrl: e.COPYDESK_CONTACT_URL,
    allowHosts: e.COPYDESK_ALLOW_HOSTS,
    hostDelayMs: e.COPYDESK_HOST_DELAY_MS,
    hostConcurrency: e.COPYDESK_HOST_CONCURRENCY,
    maxBodyBytes: e.COPYDESK_MAX_BODY_BYTES,
    workerConcurrency: e.COPYDESK_WORKER_CONCURRENCY,
    extractThreads: e.COPYDESK_EXTRACT_THREADS,
    extractTimeoutMs: loadExtractTimeoutMs(env),
    sourcesFile: path.resolve(e.COPYDESK_SOURCES_FILE ?? path.join(dataDir, "sources.json")),
    dedupeWindowMs: e.COPYDESK_DEDUPE_WINDOW_MS,
    jobAttempts: e.COPYDESK_JOB_ATTEMPTS,
    shutdownGraceMs: e.COPYDESK_SHUTDOWN_GRACE_MS,
    apiTokenHashes: e.COPYDESK_API_TOKENS.map((token) => tokenDigest(token, "COPYDESK_API_TOKENS")),
    apiReadTokenHashes: e.COPYDESK_API_READ_TOKENS.map((token) =>
      tokenDigest(token, "COPYDESK_API_READ_TOKENS"),
    ),
    apiAuthReads: e.COPYDESK_API_AUTH_READS || e.COPYDESK_API_READ_TOKENS.length > 0,
    apiRateLimitPerMinute: e.COPYDESK_API_RATE_LIMIT,
    apiCorsOrigins: e.COPYDESK_API_CORS_ORIGINS,
    apiRequestTimeoutMs: e.COPYDESK_API_REQUEST_TIMEOUT_MS,
    publicUrl: e.COPYDESK_PUBLIC_URL,
    metricsPort: e.COPYDESK_METRICS_PORT,
    metricsHost: e.COPYDESK_METRICS_HOST,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    proxy: { http: e.HTTP_PROXY, https: e.HTTPS_PROXY, noProxy: e.NO_PROXY },
  };
}

const DIGEST_PREFIX = "sha256:";
const MIN_TOKEN_LENGTH = 16;

/** The sha256 hex digest that identifies an API token; what config keeps and requests are checked against. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function tokenDigest(entry: string, variable: string): string {
  if (entry.startsWith(DIGEST_PREFIX)) {
    const digest = entry.slice(DIGEST_PREFIX.length).toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(digest)) {
      throw new CopydeskError("CONFIG_INVALID", `${variable}: a sha256: entry needs 64 hex digits`);
    }
    return digest;
  }
  // A short token can be guessed within the rate limit; refuse it rather than run exposed.
  if (entry.length < MIN_TOKEN_LENGTH) {
    throw new CopydeskError(
      "CONFIG_INVALID",
      `${variable}: tokens need at least ${MIN_TOKEN_LENGTH} characters`,
    );
  }
  return hashApiToken(entry);
}
