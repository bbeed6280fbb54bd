/**
 * Which cells answer a filter state: the page's own, or, when the state filters or drills by a column they leave
 * out, the detail (DetailData) of a column the state keeps to some members (a filter on body; a drill into a make,
 * for its models), for those members; or when it keeps a column to one member whose detail counts exactly what the
 * page's cells cannot (orders of one product line), that detail. A detail has the page's columns and its own, and
 * perhaps others: a filter on a left-out column it lacks cannot be applied with it, and is dropped from the state
 * (the page says so). Pure: no DOM, no Node.
 */
import type { FactTable } from './fact-table.ts';
import type { FilterState } from './filter-state.ts';

export interface SourceFile {
  path: string;
  gzip: number;
}

export interface DetailSource {
  column: string;
  columns: string[];
  /** Distinct-counted columns counted exactly with one member loaded only (see DetailData.spans). */
  spans: string[];
  /** Distinct-counted columns it counts exactly with one member, and the page's cells do not (see DetailData.counts). */
  counts: string[];
  members: Record<string, SourceFile>;
  /** The same cells by fewer columns (see DetailData.lean). */
  lean?: { columns: string[]; members: Record<string, SourceFile> };
}

export interface CellsSource {
  /** The files to read: the page's own, or the kept members' files of the detail. */
  files: SourceFile[];
  detail?: DetailSource;
  /** The state as these cells can show it. */
  state: FilterState;
  /** Filtered columns dropped from the state, and the column whose detail they cannot be combined with. */
  dropped: string[];
}

/** A dimension as far as the source needs it: its levels' columns, top down. */
type Levels = { name: string; levels: { column: string }[] };

/** The columns the state's drills filter by, and the level each shows (a drill into a make shows its models). */
function drillColumns(state: FilterState, dimensions: Levels[]): string[] {
  return dimensions.flatMap((d) => {
    const depth = state.drill[d.name]?.length ?? 0;
    return depth ? d.levels.slice(0, depth + 1).map((l) => l.column) : [];
  });
}

/** The members a column is kept to: by a filter on it, or by a drill step on its level. */
function keptTo(state: FilterState, dimensions: Levels[], column: string): string[] | undefined {
  if (state.members[column]) return state.members[column];
  for (const d of dimensions) {
    const member = state.drill[d.name]?.[d.levels.findIndex((l) => l.column === column)];
    if (member != null) return [member];
  }
  return undefined;
}

const covers = (columns: string[], needed: string[]) => needed.every((c) => columns.includes(c));

/**
 * `page.wanted`: the columns the page shows, its cells' and those they leave out: a detail's lean variant serves
 * when it has every one the detail has.
 */
export function cellsSource(state: FilterState, page: { files: SourceFile[]; columns: string[]; wanted: string[] }, details: DetailSource[], dimensions: Levels[]): CellsSource {
  const drilled = drillColumns(state, dimensions);
  const filtered = Object.keys(state.members);
  // A detail whose column the state keeps to some members, and that has what the drills need.
  const usable = details.filter((d) => keptTo(state, dimensions, d.column) && covers(d.columns, drilled));
  // One that counts exactly what the page's cells cannot, for the one member kept (orders of a product line), or none.
  const counting = usable.find((d) => d.counts.length && keptTo(state, dimensions, d.column)!.length <= 1 && covers(d.columns, filtered));
  if (!counting && covers(page.columns, [...filtered, ...drilled])) return { files: page.files, state, dropped: [] };
  // Else the first in the filter bar's order that has every filtered column, else the first.
  const detail = counting ?? usable.find((d) => covers(d.columns, filtered)) ?? usable[0];
  const columns = detail?.columns ?? page.columns;
  const dropped = filtered.filter((c) => !columns.includes(c));
  const members = Object.fromEntries(Object.entries(state.members).filter(([column]) => !dropped.includes(column)));
  // Without a detail, a drill goes as deep as the page's cells (only a hand-made link asks for more).
  const drill = detail ? state.drill : Object.fromEntries(dimensions.flatMap((d) => {
    const path = state.drill[d.name] ?? [];
    const depth = path.findIndex((_, i) => !covers(page.columns, d.levels.slice(0, i + 2).map((l) => l.column)));
    const kept = depth < 0 ? path : path.slice(0, depth);
    return kept.length ? [[d.name, kept]] : [];
  }));
  const shown = { ...state, members, drill };
  if (!detail) return { files: page.files, state: shown, dropped };
  const needed = [...page.wanted, ...filtered, ...drilled].filter((c) => columns.includes(c));
  const { members: files } = detail.lean && covers(detail.lean.columns, needed) ? detail.lean : detail;
  const kept = keptTo(state, dimensions, detail.column)!.flatMap((m) => (files[m] ? [files[m]] : []));
  // With no member kept there is nothing to show, but a table to show it from: the smallest file, filtered to none.
  const smallest = Object.values(files).reduce((a, b) => (b.gzip < a.gzip ? b : a));
  return { files: kept.length ? kept : [smallest], detail, state: shown, dropped };
}

/**
 * Several members' cells as one table: first rows were flagged within each member, so a distinct-counted column
 * whose values span members is no longer exact under a filter on the split column.
 */
export function countedAcross(table: FactTable, detail: DetailSource): FactTable {
  if (!detail.spans.length) return table;
  return { ...table, exactBy: Object.fromEntries(Object.entries(table.exactBy).map(([c, by]) => [c, detail.spans.includes(c) ? by.filter((x) => x !== detail.column) : by])) };
}
