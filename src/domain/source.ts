import { z } from "zod";

/**
 * A source is a place we poll for article URLs: a feed (RSS 2.0, Atom or JSON Feed, detected from
 * the document), a sitemap (news sitemap or sitemap index) or an aggregator listing page whose items
 * link to copies that name their original ("Original URL:").
 */
export const SourceKindSchema = z.enum(["feed", "sitemap", "listing"]);
export type SourceKind = z.infer<typeof SourceKindSchema>;

/** "30s", "15m", "2h", "1d" or a number of milliseconds. */
const DURATION = /^(\d+)\s*(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(value: string | number): number | null {
  if (typeof value === "number") return Number.isInteger(value) && value > 0 ? value : null;
  const match = DURATION.exec(value.trim());
  if (!match) return /^\d+$/.test(value.trim()) ? Number(value) : null;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export const SourceSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "ids are lower-case letters, digits, '.', '_' and '-'"),
    kind: SourceKindSchema,
    url: z.string().url(),
    /** Poll interval in milliseconds (the CLI also accepts "15m"). */
    everyMs: z.number().int().min(1000).optional(),
    /** Cron pattern, e.g. "*\/10 * * * *"; exclusive with everyMs. */
    cron: z.string().optional(),
    /** For listing pages: CSS selector of the item links; defaults to links inside <article>. */
    itemSelector: z.string().optional(),
    /** At most this many URLs per poll (newest first as the document lists them). */
    maxItems: z.number().int().positive().default(200),
  })
  .refine((s) => !(s.everyMs !== undefined && s.cron !== undefined), {
    message: "a source has either everyMs or cron, not both",
  });
export type Source = z.infer<typeof SourceSchema>;
export type SourceInput = z.input<typeof SourceSchema>;

export const DEFAULT_POLL_EVERY_MS = 15 * 60_000;

export const SourcesFileSchema = z.object({
  sources: z.array(SourceSchema),
});
export type SourcesFile = z.infer<typeof SourcesFileSchema>;
