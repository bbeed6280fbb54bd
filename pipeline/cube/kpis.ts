import type { DatasetSpec, DimensionSpec } from '../../src/lib/contract/declaration.ts';
import type { Figures, Kpis } from '../../src/lib/contract/kpis.ts';
import { yearToDateSpans, type Span } from '../../src/lib/periods.ts';
import { ident, type Db } from '../duckdb.ts';
import { filterSql, measureColumns } from './measure-sql.ts';
import { filtersItself, sliceAtDepthSql } from './slices.ts';

const isoDate = (d: unknown) => (d as Date).toISOString().slice(0, 10);

/**
 * The headline figures, after the slices: the totals over every row are a slice's depth-0 row, already computed with
 * the same SQL (sliceSql): a dimension's slice holds them under the default filter, and the slice of the dimension the
 * filter is on, which lifts it, without. Only the year-to-date spans are aggregated again.
 */
export async function computeKpis(db: Db, spec: DatasetSpec): Promise<Kpis> {
  const mart = ident(spec.mart);
  const time = ident(spec.timeColumn);
  const where = filterSql(spec.defaultFilter);
  const figures = async (condition: string) => {
    const [row] = await db.rows<Figures>(`select ${measureColumns(spec)} from ${mart} where (${where}) and (${condition})`);
    return row!;
  };
  const total = async (slice: DimensionSpec | undefined, otherwise: () => Promise<Figures>) =>
    slice ? (await db.rows<Figures>(sliceAtDepthSql(spec, slice, 0)))[0]! : otherwise();
  const filtered = spec.dimensions.find((d) => !filtersItself(spec, d));
  const lifted = spec.defaultFilter ? spec.dimensions.find((d) => filtersItself(spec, d)) : filtered;
  const [span] = await db.rows<{ first: Date; last: Date }>(`select min(${time}) as first, max(${time}) as last from ${mart}`);
  const last = isoDate(span!.last);
  const spans = yearToDateSpans(last);
  const between = ({ from, to }: Span) => `${time} between DATE '${from}' and DATE '${to}'`;
  const current = await figures(between(spans.current));
  const previous = await figures(between(spans.previous));
  const unfiltered = await total(lifted, async () => (await db.rows<Figures>(`select ${measureColumns(spec)} from ${mart}`))[0]!);
  return {
    dataset: spec.name,
    filter: spec.defaultFilter ? { label: spec.defaultFilter.label, column: spec.defaultFilter.column, exclude: spec.defaultFilter.exclude } : null,
    period: { from: isoDate(span!.first), to: last },
    measures: await total(filtered, () => figures('true')),
    unfiltered,
    growth: {
      current: { ...spans.current, measures: current },
      previous: { ...spans.previous, measures: previous },
      change: Object.fromEntries(
        Object.keys(current).map((k) => {
          const [now, before] = [current[k], previous[k]];
          return [k, now == null || !before ? null : Math.round(((now - before) / before) * 10000) / 10000];
        }),
      ),
    },
  };
}
