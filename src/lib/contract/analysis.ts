/**
 * The analyses' api files (pipeline/analysis/, docs/analysis.md), as the pipeline writes them and the pages read them:
 * each checked against its schema as the site reads it.
 */
import { z } from 'zod';
import { METHODS } from '../forecast.ts';

export const FORECAST_FILE = 'forecast.json';
export const SEASONALITY_FILE = 'seasonality.json';
export const SEGMENTS_FILE = 'customer-segments.json';
export const COHORTS_FILE = 'cohorts.json';
export const CONTRIBUTIONS_FILE = 'contributions.json';
/** Every customer's RFM scores and segment, as a table (Parquet, CSV) beside the models. */
export const SEGMENTS_TABLE = 'customer_segments';
/** One segment's customers, as a table of its own (at risk: customer_segments_at_risk). */
export const segmentTable = (segment: string) => `${SEGMENTS_TABLE}_${segment.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;

const head = {
  dataset: z.string(),
  /** The default filter that applies ("all rows" without one). */
  filter: z.string(),
};

const monthSpan = {
  /** Full months (YYYY-MM), oldest first. */
  months: z.array(z.string()),
  /** The month set apart (it may still be receiving rows), and the last day its rows reach. */
  latest: z.object({ month: z.string(), through: z.string() }),
};
export type MonthSpan = z.infer<z.ZodObject<typeof monthSpan>>;

const accuracy = z.object({ mape: z.number().nullable(), mase: z.number().nullable() });
const method = z.enum(METHODS);

export const forecastFile = z.object({
  ...head,
  ...monthSpan,
  measure: z.string(),
  /** The months forecast: the `horizon` months after the last full one (the latest month first). */
  future: z.array(z.string()),
  /** The measure cannot be negative (a count, a sum of a column with no negative value): forecasts are cut at 0. */
  nonNegative: z.boolean(),
  series: z.array(
    z.object({
      column: z.string().nullable(),
      member: z.string().nullable(),
      history: z.array(z.number()),
      /** The latest month's value so far. */
      latestValue: z.number(),
      /** Null when the history is too short for any method. */
      method: method.nullable(),
      params: z.object({ alpha: z.number(), beta: z.number(), gamma: z.number() }).optional(),
      sigma: z.number().optional(),
      forecast: z.array(z.object({ ahead: z.number(), point: z.number(), lo80: z.number(), hi80: z.number(), lo95: z.number(), hi95: z.number() })),
      backtest: z.object({ origins: z.array(z.number()), errors: z.number(), byMethod: z.partialRecord(method, accuracy) }).nullable(),
      trusted: z.boolean(),
      note: z.string(),
    }),
  ),
});

export const seasonalityFile = z.object({
  ...head,
  ...monthSpan,
  measure: z.string(),
  fullYears: z.array(z.string()),
  monthOfYear: z.array(z.object({ month: z.number(), index: z.number().nullable(), mean: z.number().nullable() })),
  growth: z.array(
    z.object({
      month: z.string(),
      value: z.number(),
      previousMonth: z.number().nullable(),
      monthOverMonth: z.number().nullable(),
      previousYear: z.number().nullable(),
      yearOverYear: z.number().nullable(),
    }),
  ),
  /** [ISO day, value] */
  days: z.array(z.tuple([z.string(), z.number()])),
});

export const customerScore = z.object({
  customer: z.string(),
  last_order: z.string(),
  recency_days: z.number(),
  frequency: z.number(),
  monetary: z.number(),
  r: z.number(),
  f: z.number(),
  m: z.number(),
  segment: z.string(),
});

export const segmentsFile = z.object({
  ...head,
  measure: z.string(),
  asOf: z.string().nullable(),
  scores: z.string(),
  segments: z.array(z.object({ segment: z.string(), rule: z.string(), meaning: z.string(), customers: z.number(), monetary: z.number() })),
  customers: z.array(customerScore),
});

export const cohortsFile = z.object({
  ...head,
  measure: z.string(),
  cohorts: z.array(z.object({ cohort: z.string(), months_since: z.number(), month: z.string(), customers: z.number(), value: z.number() })),
  months: z.array(z.object({ month: z.string(), new_customers: z.number(), returning_customers: z.number(), new_value: z.number(), returning_value: z.number() })),
});

/** [before, after, change] */
const change = z.tuple([z.number(), z.number(), z.number()]);
const span = z.object({ from: z.string(), to: z.string() });

export const contributionsFile = z.object({
  ...head,
  current: span,
  previous: span,
  /** The additive measures each member lists. */
  measures: z.array(z.string()),
  totals: z.record(z.string(), change),
  by: z.array(
    z.object({
      column: z.string(),
      /** Each member's additive measures; ratios' effects are in the same order. */
      members: z.array(z.object({ member: z.string().nullable(), values: z.record(z.string(), change) })),
      ratios: z.record(
        z.string(),
        z.discriminatedUnion('exact', [
          z.object({ exact: z.literal(true), effects: z.array(z.object({ mix: z.number(), rate: z.number() })) }),
          z.object({ exact: z.literal(false), note: z.string() }),
        ]),
      ),
    }),
  ),
});

export type ForecastFile = z.infer<typeof forecastFile>;
export type SeasonalityFile = z.infer<typeof seasonalityFile>;
export type CustomerScore = z.infer<typeof customerScore>;
export type SegmentsFile = z.infer<typeof segmentsFile>;
export type CohortsFile = z.infer<typeof cohortsFile>;
export type ContributionsFile = z.infer<typeof contributionsFile>;
export type Change = z.infer<typeof change>;
