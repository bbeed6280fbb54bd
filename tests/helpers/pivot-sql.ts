/**
 * What the explorer's pivot must show, worked out from SQL group-bys written by the tests (not by the code under
 * test): rows in order (siblings sorted as asked, each expanded member followed by its children), row totals,
 * cells, column totals and the grand total; and a comparison of a pivot with it.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../../pipeline/duckdb.ts';
import type { Pivot, PivotSpec } from '../../src/lib/pivot.ts';

export type Value = number | null;
/** The measure per combination of members of `columns` (JSON of the members as text); [] gives the grand total under '[]'. */
export type SqlBy = (columns: string[]) => Promise<Map<string, Value>>;

export interface ExpectedPivot {
  rows: { path: string[]; total: Value; cells: Record<string, Value> }[];
  columns: string[];
  columnTotals: Record<string, Value>;
  total: Value;
  /** Columns of the row levels shown, from the chosen level down. */
  levels: string[];
  columnsAreTime: boolean;
}

export const key = (path: string[]) => JSON.stringify(path);
const collator = new Intl.Collator(undefined, { numeric: true });

/** SqlBy over a table of an independent DuckDB: `figures` is a select list of aggregates, `measure` the one to read. */
export const sqlBy = (db: Db, table: string, figures: string, measure: string, where: string): SqlBy => async (columns) => {
  const keys = columns.map((c, i) => `${c}::VARCHAR as k${i}, `).join('');
  const groupBy = columns.length ? `group by ${columns.join(', ')}` : '';
  const rows = await db.rows<Record<string, unknown>>(`select ${keys}${figures} from ${table} where ${where} ${groupBy}`);
  return new Map(rows.map((r) => [key(columns.map((_, i) => r[`k${i}`] as string)), r[measure] as Value]));
};

/** `levels`: the row dimension's level columns from the chosen level down; `column`: the column level's column. */
export async function expectedPivot(sqlBy: SqlBy, p: PivotSpec, levels: string[], column: string | undefined, columnsAreTime: boolean): Promise<ExpectedPivot> {
  const open = new Set(p.expanded.map(key));
  const rows: ExpectedPivot['rows'] = [];
  const visit = async (depth: number, parent: string[]) => {
    const totals = await sqlBy(levels.slice(0, depth + 1));
    const cells = new Map<string, Record<string, Value>>();
    if (column) {
      for (const [k, v] of await sqlBy([...levels.slice(0, depth + 1), column])) {
        const path = JSON.parse(k) as string[];
        const member = path.pop()!;
        cells.set(key(path), { ...cells.get(key(path)), [member]: v });
      }
    }
    const siblings = [...totals]
      .map(([k, total]) => ({ path: JSON.parse(k) as string[], total, cells: cells.get(k) ?? {} }))
      .filter((r) => parent.every((m, i) => r.path[i] === m));
    // Nulls (no rows in the sort column, or a ratio without a denominator) rank lowest; ties go by label.
    const sortValue = (r: (typeof siblings)[number]) => (p.sort.column ? r.cells[p.sort.column] : r.total) ?? -Infinity;
    siblings.sort((a, b) => {
      const label = collator.compare(a.path.at(-1)!, b.path.at(-1)!);
      if (p.sort.by === 'label') return p.sort.descending ? -label : label;
      const [x, y] = [sortValue(a), sortValue(b)];
      return x === y ? label : (x < y ? -1 : 1) * (p.sort.descending ? -1 : 1);
    });
    for (const r of siblings) {
      rows.push(r);
      if (depth < levels.length - 1 && open.has(key(r.path))) await visit(depth + 1, r.path);
    }
  };
  await visit(0, []);
  const columnTotals = column ? Object.fromEntries([...(await sqlBy([column]))].map(([k, v]) => [JSON.parse(k)[0] as string, v])) : {};
  // Periods in time order (their spelling sorts), other members largest first (ties in no particular order).
  const members = Object.keys(columnTotals);
  const columns = columnsAreTime ? members.sort() : members.sort((a, b) => (columnTotals[b] ?? 0) - (columnTotals[a] ?? 0));
  return { rows, columns, columnTotals, total: (await sqlBy([])).get('[]') ?? null, levels, columnsAreTime };
}

/** Every difference between a pivot and what SQL says it must be: values, order, structure. */
export function pivotMismatches(result: Pivot, want: ExpectedPivot, p: PivotSpec): { what: string; pivot: unknown; sql: unknown }[] {
  const out: { what: string; pivot: unknown; sql: unknown }[] = [];
  const compare = (what: string, got: unknown, sql: unknown) => {
    if (!isDeepStrictEqual(got, sql)) out.push({ what, pivot: got, sql });
  };
  compare('row paths in order', result.rows.map((r) => r.path), want.rows.map((r) => r.path));
  for (const [i, r] of want.rows.entries()) {
    const got = result.rows[i];
    if (!got || key(got.path) !== key(r.path)) break;
    compare(`total of ${key(r.path)}`, got.total, r.total);
    compare(`cells of ${key(r.path)}`, got.cells, r.cells);
    const depth = r.path.length - 1;
    const expandable = depth < want.levels.length - 1;
    const expanded = expandable && p.expanded.some((e) => key(e) === key(r.path));
    compare(`shape of ${key(r.path)}`, [got.depth, got.column, got.expandable, got.expanded], [depth, want.levels[depth], expandable, expanded]);
  }
  // Children right after their expanded parent, and nothing listed under a row that is not expanded.
  result.rows.forEach((r, i) => {
    const next = result.rows[i + 1];
    if (next && next.depth > r.depth) compare(`child of ${key(r.path)}`, [r.expanded, next.depth, next.path.slice(0, -1)], [true, r.depth + 1, r.path]);
  });
  const top = (paths: string[][]) => new Set(paths.filter((path) => path.length === 1).map((path) => path[0]));
  compare('top rows', top(result.rows.map((r) => r.path)), top(want.rows.map((r) => r.path)));
  compare('columns', [...result.columns].sort(), [...want.columns].sort());
  const inOrder = (columns: string[]) => (want.columnsAreTime ? columns : columns.map((c) => want.columnTotals[c] ?? 0));
  compare('columns in order', inOrder(result.columns), inOrder(want.columns));
  compare('column totals', result.columnTotals, want.columnTotals);
  compare('grand total', result.total, want.total);
  return out;
}
