/**
 * What changed since the previous published build (api/<dataset>/changes.json): its sources added, changed, removed
 * or unchanged with their rows before and after, and the headline figures before → after. The first build compares
 * with nothing: every source is added and every figure new.
 */
import { z } from 'zod';

const count = z.object({ before: z.number().nullable(), after: z.number().nullable() });
export const rowCounts = z.object({ read: count, loaded: count, rejected: count, duplicates: count });

export const changes = z.object({
  dataset: z.string(),
  /** False on a first build: nothing was published before. */
  previous: z.boolean(),
  sources: z.array(
    z.object({
      source: z.string(),
      status: z.enum(['added', 'changed', 'removed', 'unchanged']),
      sha256: z.object({ before: z.string().nullable(), after: z.string().nullable() }),
      rows: rowCounts,
    }),
  ),
  totals: rowCounts,
  /** Each measure with the default filter, as on the KPI tiles. */
  measures: z.array(z.object({ measure: z.string(), before: z.number().nullable(), after: z.number().nullable() })),
});

export type Changes = z.infer<typeof changes>;
export type RowCounts = z.infer<typeof rowCounts>;
