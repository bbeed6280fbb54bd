/**
 * Seasonality and growth of a monthly series (pure: the pipeline writes seasonality.json with it, for the default
 * filter; the Forecast page a filter's). Months are labelled YYYY-MM, full months only: the caller leaves out a month
 * that may be partial.
 */
import type { MeasureSpec } from './contract/declaration.ts';
import { fourDecimals, roundMeasure } from './measure-round.ts';

export interface MonthOfYear {
  /** 1–12 */
  month: number;
  /** The month's value ÷ its year's monthly mean, averaged over the full years (1 = an average month); null without one. */
  index: number | null;
  /** Mean value of the month over the full years. */
  mean: number | null;
}

/** Month-of-year indices over the years whose twelve months are all in the history. */
export function monthOfYear(months: string[], values: number[]): { years: string[]; months: MonthOfYear[] } {
  const byYear = new Map<string, number[]>();
  months.forEach((label, i) => {
    const [year, month] = label.split('-');
    const row = byYear.get(year!) ?? new Array<number>(12).fill(NaN);
    row[Number(month) - 1] = values[i]!;
    byYear.set(year!, row);
  });
  const full = [...byYear].filter(([, row]) => row.every((v) => !Number.isNaN(v)));
  const usable = full.filter(([, row]) => row.some((v) => v !== 0));
  return {
    years: usable.map(([year]) => year),
    months: Array.from({ length: 12 }, (_, m) => ({
      month: m + 1,
      index: usable.length ? usable.reduce((a, [, row]) => a + row[m]! / (row.reduce((x, y) => x + y, 0) / 12), 0) / usable.length : null,
      mean: usable.length ? usable.reduce((a, [, row]) => a + row[m]!, 0) / usable.length : null,
    })),
  };
}

export interface Growth {
  month: string;
  value: number;
  /** The month before, and the change from it as a share (null when it was 0 or is not in the history). */
  previousMonth: number | null;
  monthOverMonth: number | null;
  /** The same month a year earlier, and the change from it. */
  previousYear: number | null;
  yearOverYear: number | null;
}

const change = (now: number, before: number | null) => (before === null || before === 0 ? null : (now - before) / before);

/** Period-over-period and year-over-year growth of every month, each against the month it names. */
export function growth(months: string[], values: number[]): Growth[] {
  const at = new Map(months.map((m, i) => [m, values[i]!]));
  const shift = (label: string, by: number) => {
    const [y, m] = label.split('-').map(Number) as [number, number];
    const index = y * 12 + m - 1 + by;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  };
  return months.map((month, i) => {
    const previousMonth = at.get(shift(month, -1)) ?? null;
    const previousYear = at.get(shift(month, -12)) ?? null;
    return { month, value: values[i]!, previousMonth, monthOverMonth: change(values[i]!, previousMonth), previousYear, yearOverYear: change(values[i]!, previousYear) };
  });
}

/** The month-of-year index and every month's growth, as seasonality.json writes them: values rounded as the measure is. */
export function seasonSummary(months: string[], values: number[], format: MeasureSpec['format']) {
  const round = (v: number) => roundMeasure(v, format);
  const nullable = (v: number | null) => (v === null ? null : round(v));
  const seasons = monthOfYear(months, values);
  return {
    fullYears: seasons.years,
    monthOfYear: seasons.months.map((m) => ({ month: m.month, index: fourDecimals(m.index), mean: nullable(m.mean) })),
    growth: growth(months, values).map((g) => ({
      ...g,
      value: round(g.value),
      previousMonth: nullable(g.previousMonth),
      monthOverMonth: fourDecimals(g.monthOverMonth),
      previousYear: nullable(g.previousYear),
      yearOverYear: fourDecimals(g.yearOverYear),
    })),
  };
}
