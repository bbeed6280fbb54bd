/**
 * The analyses' api files (pipeline/analysis/, docs/analysis.md), as the pipeline writes them and the pages read them.
 */
import type { SeriesForecast } from '../forecast.ts';
import type { Span } from '../periods.ts';

export const FORECAST_FILE = 'forecast.json';
export const SEASONALITY_FILE = 'seasonality.json';
export const SEGMENTS_FILE = 'customer-segments.json';
export const COHORTS_FILE = 'cohorts.json';
export const CONTRIBUTIONS_FILE = 'contributions.json';
/** Every customer's RFM scores and segment, as a table (Parquet, CSV) beside the models. */
export const SEGMENTS_TABLE = 'customer_segments';

interface Head {
  dataset: string;
  /** The default filter that applies ("all rows" without one). */
  filter: string;
}

export interface MonthSpan {
  /** Full months, oldest first. */
  months: string[];
  /** The month set apart (it may still be receiving rows), and the last day its rows reach. */
  latest: { month: string; through: string };
}

export interface ForecastFile extends Head, MonthSpan {
  measure: string;
  /** The months forecast: the `horizon` months after the last full one (the latest month first). */
  future: string[];
  series: (SeriesForecast & { column: string | null; member: string | null; history: number[]; latestValue: number })[];
}

export interface SeasonalityFile extends Head, MonthSpan {
  measure: string;
  fullYears: string[];
  monthOfYear: { month: number; index: number | null; mean: number | null }[];
  growth: { month: string; value: number; previousMonth: number | null; monthOverMonth: number | null; previousYear: number | null; yearOverYear: number | null }[];
  /** [ISO day, value] */
  days: [string, number][];
}

export interface CustomerScore {
  customer: string;
  last_order: string;
  recency_days: number;
  frequency: number;
  monetary: number;
  r: number;
  f: number;
  m: number;
  segment: string;
}

export interface SegmentsFile extends Head {
  measure: string;
  asOf: string | null;
  scores: string;
  segments: { segment: string; rule: string; meaning: string; customers: number; monetary: number }[];
  customers: CustomerScore[];
}

export interface CohortsFile extends Head {
  measure: string;
  cohorts: { cohort: string; months_since: number; month: string; customers: number; value: number }[];
  months: { month: string; new_customers: number; returning_customers: number; new_value: number; returning_value: number }[];
}

/** [before, after, change] */
export type Change = [number, number, number];

export interface ContributionsFile extends Head {
  current: Span;
  previous: Span;
  /** The additive measures each member lists. */
  measures: string[];
  totals: Record<string, Change>;
  by: {
    column: string;
    /** Each member's additive measures; ratios' effects in the same order. */
    members: { member: string | null; values: Record<string, Change> }[];
    ratios: Record<string, { exact: true; effects: { mix: number; rate: number }[] } | { exact: false; note: string }>;
  }[];
}
