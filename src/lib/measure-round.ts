/**
 * How a measure's value is rounded, in the pipeline's SQL and in the browser alike, so both give the same
 * number to the last digit. Pure: shared by pipeline/cube/measure-sql.ts and src/lib/query.ts.
 */
import type { MeasureSpec } from './contract/declaration.ts';

/** Decimals kept per format: shares to a hundredth of a percent, everything else (money, ratios) to 2 decimals. */
export const measureDecimals = (format: MeasureSpec['format']) => (format === 'percent' ? 4 : 2);

/**
 * DuckDB's round(DOUBLE, n): halves go away from zero (std::round), where Math.round would take -0.125 to
 * -0.12 rather than -0.13. Integers are whole.
 */
export function roundMeasure(value: number, format: MeasureSpec['format']): number {
  const scale = format === 'integer' ? 1 : 10 ** measureDecimals(format);
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * scale)) / scale;
  return rounded === 0 ? 0 : rounded;
}

/** Shares, indices and scores to four decimals, as the analysis files write them. */
export const fourDecimals = (v: number | null) => (v === null ? null : Math.round(v * 1e4) / 1e4);
