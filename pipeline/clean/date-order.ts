import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { ident, type Db } from '../duckdb.ts';
import { UserError } from '../errors.ts';
import { NUMERIC_DATE, type DateOrder } from './parse-sql.ts';

export interface DateEvidence {
  numeric: number;
  maxFirst: number | null;
  maxSecond: number | null;
  /** Rows where the first / second number equals the declared month column. */
  firstIsMonth: number;
  secondIsMonth: number;
}

/**
 * Month-first or day-first is a property of the whole file, never guessed row by row: a first number over 12
 * means day-first, a second number over 12 means month-first, and otherwise the file's own month column
 * (MONTH_ID) settles it. Failing all that, the declaration's dateOrder, or a clear error.
 */
export function decideDateOrder(evidence: DateEvidence, declared: DateOrder | undefined, where: { file: string; column: string }): DateOrder | undefined {
  if (evidence.numeric === 0) return undefined;
  const dayFirst = (evidence.maxFirst ?? 0) > 12;
  const monthFirst = (evidence.maxSecond ?? 0) > 12;
  if (dayFirst && monthFirst) {
    throw new UserError(
      'dates mix month-first and day-first forms (both 13/1 and 1/13 appear)',
      where,
      'write all dates in one order, or as ISO dates (2003-02-24)',
    );
  }
  if (dayFirst) return 'DMY';
  if (monthFirst) return 'MDY';
  if (evidence.firstIsMonth > evidence.secondIsMonth) return 'MDY';
  if (evidence.secondIsMonth > evidence.firstIsMonth) return 'DMY';
  if (declared) return declared;
  throw new UserError(
    'cannot tell whether dates are month-first or day-first: no day is over 12',
    where,
    "set dateOrder: 'MDY' or 'DMY' in the dataset declaration, or pass --date-order",
  );
}

/** Decides the order of every date column, per file, from the raw table. */
/** Each date column's order in one source's raw rows (`relation`); undefined where it writes no numeric dates. */
export async function detectDateOrders(db: Db, spec: DatasetSpec, relation: string, file: string, override?: DateOrder): Promise<Record<string, DateOrder | null>> {
  const orders: Record<string, DateOrder | null> = {};
  for (const column of spec.columns.filter((c) => c.type === 'date')) {
    const hint = spec.dateHints?.date === column.name ? spec.dateHints : undefined;
    // A file writes few distinct dates (with their month column) against its rows: the regular expression runs once
    // per distinct pair, each pair weighing its rows (sales at 10M rows: a few thousand pairs).
    const pairs = `select trim(${ident(column.name)}) as v, ${hint ? `trim(${ident(hint.month)})` : 'NULL::VARCHAR'} as month, count(*) as n from ${relation} group by all`;
    const parts = `regexp_extract(v, ${NUMERIC_DATE}, ['a', 'b', 'y'])`;
    const part = (i: 1 | 2) => `try_cast(${parts}.${i === 1 ? 'a' : 'b'} as INTEGER)`;
    const [evidence] = await db.rows<DateEvidence>(`
      select coalesce(sum(n), 0)::BIGINT as numeric, max(${part(1)}) as "maxFirst", max(${part(2)}) as "maxSecond",
        coalesce(sum(n) filter (where ${part(1)} = try_cast(month as INTEGER)), 0)::BIGINT as "firstIsMonth",
        coalesce(sum(n) filter (where ${part(2)} = try_cast(month as INTEGER)), 0)::BIGINT as "secondIsMonth"
      from (${pairs}) where ${parts}.y <> ''`);
    orders[column.name] = override ?? decideDateOrder(evidence!, spec.dateOrder, { file, column: column.source }) ?? null;
  }
  return orders;
}

/**
 * The order of each date column for every source: one order per column across the sources (a file that writes no
 * numeric dates takes the others'), or a clear error when two sources write a column in different orders.
 */
export function agreedDateOrders(spec: DatasetSpec, perSource: Record<string, DateOrder | null>[]): Map<string, DateOrder | undefined> {
  const orders = new Map<string, DateOrder | undefined>();
  for (const column of spec.columns.filter((c) => c.type === 'date')) {
    const decided = new Set(perSource.map((o) => o[column.name]).filter((o): o is DateOrder => o != null));
    if (decided.size > 1) {
      throw new UserError(`the input files write ${column.source} in different orders (month-first and day-first)`, { column: column.source }, 'load them in separate runs, or convert one of them to the other order');
    }
    orders.set(column.name, [...decided][0] ?? spec.dateOrder);
  }
  return orders;
}
