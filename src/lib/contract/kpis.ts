/** The headline figures (api/<dataset>/kpis.json): every measure with the default filter and without, and growth. */
import { z } from 'zod';

/** A value per measure, by name; null where a ratio or median has no rows. */
export const figures = z.record(z.string(), z.number().nullable());
const span = z.object({ from: z.string(), to: z.string() });

export const kpis = z.object({
  dataset: z.string(),
  filter: z.object({ label: z.string(), column: z.string(), exclude: z.array(z.string()) }).nullable(),
  /** The first and last day of the data. */
  period: span,
  /** With the default filter (e.g. Cancelled orders excluded). */
  measures: figures,
  /** Every loaded row, no filter. */
  unfiltered: figures,
  /** Year to date against the same span one year earlier, so a part-year is never compared with a full one. */
  growth: z.object({ current: span.extend({ measures: figures }), previous: span.extend({ measures: figures }), change: figures }),
});

export type Figures = z.infer<typeof figures>;
export type Kpis = z.infer<typeof kpis>;
