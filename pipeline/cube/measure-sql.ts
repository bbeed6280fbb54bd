import type { DatasetSpec, FilterSpec, MeasureSpec } from '../../src/lib/contract/declaration.ts';
import { measureDecimals } from '../../src/lib/measure-round.ts';
import { ident, lit } from '../duckdb.ts';

/**
 * The SQL aggregate of a declared measure. Ratios divide their parts' aggregates (never average the
 * per-group ratios), so they stay exact at every grouping. Over `partials` (rows already grouped, with sums
 * in the measured columns and the row count in `__rows`, see cube/partials.ts) counts add up those counts.
 * `counted`: distinct-counted columns known to hold no value twice within a group, counted without a hash.
 */
export function measureSql(measure: MeasureSpec, all: MeasureSpec[], over: 'rows' | 'partials' = 'rows', counted = new Set<string>()): string {
  switch (measure.agg) {
    case 'sum':
      return `sum(${ident(measure.column)})`;
    case 'count':
      return over === 'partials' ? 'sum(__rows)' : 'count(*)';
    case 'countDistinct':
      return counted.has(measure.column) ? `count(${ident(measure.column)})` : `count(distinct ${ident(measure.column)})`;
    case 'median':
      // As a double, so an even count gives the exact average of the two middle values (a DECIMAL median would
      // truncate it to the column's scale); the browser engine (src/lib/query.ts) interpolates the same way.
      return `median(${ident(measure.column)}::DOUBLE)`;
    case 'ratio': {
      const part = (name: string) => {
        const found = all.find((m) => m.name === name);
        if (!found || found.agg === 'ratio') throw new Error(`ratio measure ${measure.name}: ${name} must be a declared non-ratio measure`);
        return measureSql(found, all, over, counted);
      };
      return `(${part(measure.numerator)}) / nullif(${part(measure.denominator)}, 0)`;
    }
  }
}

/** A measure's SQL as published: integers whole, currency to the cent, shares to 4 decimals. */
export const rounded = (measure: MeasureSpec, sql: string) =>
  measure.format === 'integer' ? `(${sql})::BIGINT` : `round((${sql})::DOUBLE, ${measureDecimals(measure.format)})`;

/** Every measure's column, by name (quoted), as a table of computed measures holds them. */
export const measureNames = (spec: DatasetSpec) => spec.measures.map((m) => ident(m.name)).join(', ');

/** Every measure (or those given) as a rounded SQL column. */
export function measureColumns(spec: DatasetSpec, over: 'rows' | 'partials' = 'rows', counted = new Set<string>(), measures = spec.measures): string {
  return measures.map((m) => `${rounded(m, measureSql(m, spec.measures, over, counted))} as ${ident(m.name)}`).join(',\n      ');
}

/** The default filter as a WHERE condition ('true' when the dataset has none or it is lifted). */
export const filterSql = (filter: FilterSpec | undefined) =>
  filter ? `${ident(filter.column)} is null or ${ident(filter.column)} not in (${filter.exclude.map(lit).join(', ')})` : 'true';
