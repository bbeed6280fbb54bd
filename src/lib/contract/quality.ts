/** The data-quality report (api/<dataset>/quality.json): where every input row went, and why rejects were rejected. */
import { z } from 'zod';

export const checkResult = z.object({ model: z.string(), name: z.string(), type: z.string(), failing: z.number(), passed: z.boolean() });

/**
 * A file as read, and where each of its rows ended up: read = loaded + rejected + duplicates. A row's line is its
 * line in a CSV file, its record's number (from 1) in a Parquet or JSON file.
 */
export const fileAccount = z.object({
  file: z.string(),
  format: z.enum(['csv', 'parquet', 'json']),
  encoding: z.string(),
  delimiter: z.string(),
  extra_columns: z.array(z.string()),
  missing_columns: z.array(z.string()),
  read: z.number(),
  loaded: z.number(),
  rejected: z.number(),
  duplicates: z.number(),
});

export const quality = z.object({
  dataset: z.string(),
  totals: z.object({ read: z.number(), loaded: z.number(), rejected: z.number(), duplicates: z.number(), rejected_pct: z.number() }),
  files: z.array(fileAccount),
  reasons: z.array(
    z.object({ reason: z.string(), column: z.string().nullable(), rule: z.string(), rows: z.number(), example_file: z.string(), example_line: z.number() }),
  ),
  /** The first rejects in file order; the full list is in the rejects download. */
  rejects: z.array(z.object({ file: z.string(), line: z.number(), column: z.string().nullable(), value: z.string().nullable(), reason: z.string() })),
  /** The declaration's aliases (conformed values) that moved loaded rows: per column, each spelling and its member. */
  aliases: z.array(z.object({ column: z.string(), alias: z.string(), value: z.string(), rows: z.number() })),
  /** Per clean column: missing values, distinct values, least and greatest. */
  profile: z.array(z.object({ column: z.string(), type: z.string(), nulls: z.number(), distinct: z.number(), min: z.string().nullable(), max: z.string().nullable() })),
  checks: z.array(checkResult),
  threshold: z.object({ maxRejected: z.number().optional(), maxRejectedPct: z.number().optional(), exceeded: z.boolean() }),
});

export type CheckResult = z.infer<typeof checkResult>;
export type FileAccount = z.infer<typeof fileAccount>;
export type Quality = z.infer<typeof quality>;
