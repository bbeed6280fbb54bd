import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import type { Figures, Kpis } from '../../src/lib/contract/kpis.ts';
import { ident, type Db } from '../duckdb.ts';
import { filterSql, measureColumns } from './measure-sql.ts';

const isoDate = (d: unknown) => (d as Date).toISOString().slice(0, 10);

export async function computeKpis(db: Db, spec: DatasetSpec): Promise<Kpis> {
  const mart = ident(spec.mart);
  const time = ident(spec.timeColumn);
  const where = filterSql(spec.defaultFilter);
  const figures = async (condition: string) => {
    const [row] = await db.rows<Figures>(`select ${measureColumns(spec)} from ${mart} where (${where}) and (${condition})`);
    return row!;
  };
  const [span] = await db.rows<{ first: Date; last: Date }>(`select min(${time}) as first, max(${time}) as last from ${mart}`);
  const last = span!.last;
  const [year, month, day] = [last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate()];
  const currentFrom = new Date(Date.UTC(year, 0, 1));
  const previousFrom = new Date(Date.UTC(year - 1, 0, 1));
  // 29 February has no twin in the year before.
  const previousTo = new Date(Date.UTC(year - 1, month, month === 1 && day === 29 ? 28 : day));
  const between = (from: Date, to: Date) => `${time} between DATE '${isoDate(from)}' and DATE '${isoDate(to)}'`;
  const current = await figures(between(currentFrom, last));
  const previous = await figures(between(previousFrom, previousTo));
  const [unfiltered] = await db.rows<Figures>(`select ${measureColumns(spec)} from ${mart}`);
  return {
    dataset: spec.name,
    filter: spec.defaultFilter ? { label: spec.defaultFilter.label, column: spec.defaultFilter.column, exclude: spec.defaultFilter.exclude } : null,
    period: { from: isoDate(span!.first), to: isoDate(last) },
    measures: await figures('true'),
    unfiltered: unfiltered!,
    growth: {
      current: { from: isoDate(currentFrom), to: isoDate(last), measures: current },
      previous: { from: isoDate(previousFrom), to: isoDate(previousTo), measures: previous },
      change: Object.fromEntries(
        Object.keys(current).map((k) => {
          const [now, before] = [current[k], previous[k]];
          return [k, now == null || !before ? null : Math.round(((now - before) / before) * 10000) / 10000];
        }),
      ),
    },
  };
}
