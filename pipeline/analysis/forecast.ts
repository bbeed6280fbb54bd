/**
 * forecast.json: the primary measure's next months, overall and per member of each declared column, with 80% and
 * 95% prediction intervals and the backtest accuracy of every method beside the seasonal-naive baseline's
 * (src/lib/forecast.ts), from the full months (monthly.ts; a month without rows is 0).
 */
import type { ForecastFile, MonthSpan } from '../../src/lib/contract/analysis.ts';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { forecastEntry } from '../../src/lib/forecast.ts';
import { nextPeriod } from '../../src/lib/periods.ts';
import { ident, type Db } from '../duckdb.ts';
import { filterLabel, monthlyValues, primaryMeasure } from './monthly.ts';

/** Whether the primary measure cannot be negative: a count, or a sum of a column with no negative value in the mart. */
async function nonNegative(db: Db, spec: DatasetSpec): Promise<boolean> {
  const measure = primaryMeasure(spec);
  if (measure.agg === 'count' || measure.agg === 'countDistinct') return true;
  if (!('column' in measure)) return false;
  const [row] = await db.rows<{ ok: boolean }>(`select coalesce(min(${ident(measure.column)}) >= 0, true) as ok from ${ident(spec.mart)}`);
  return row!.ok;
}

/** `overall`: the primary measure per month, every member together (monthly.ts). */
export async function forecastFile(db: Db, spec: DatasetSpec, span: MonthSpan, overall: Map<string, number>): Promise<ForecastFile | undefined> {
  const options = spec.analysis.forecast;
  if (!options) return undefined;
  const measure = primaryMeasure(spec);
  const future = [span.latest.month];
  while (future.length < options.horizon) future.push(nextPeriod(future.at(-1)!));

  const floorAtZero = await nonNegative(db, spec);
  const series: ForecastFile['series'] = [];
  for (const column of [null, ...options.by]) {
    const total = (values: Map<string, number>) => [...values.values()].reduce((a, b) => a + b, 0);
    // Members by their total, largest first (then by name): the order a page lists them in.
    const byMember = column === null ? new Map([[null, overall]]) : await monthlyValues(db, spec, column);
    const members = [...byMember].sort(([a, x], [b, y]) => total(y) - total(x) || String(a).localeCompare(String(b)));
    for (const [member, values] of members) {
      const history = span.months.map((m) => values.get(m) ?? 0);
      series.push({ column, member, ...forecastEntry(history, values.get(span.latest.month) ?? 0, options.horizon, { nonNegative: floorAtZero, format: measure.format }) });
    }
  }
  return { dataset: spec.name, measure: measure.name, filter: filterLabel(spec), ...span, future, nonNegative: floorAtZero, series };
}
