/**
 * Which cells answer a filter state: the page's own, or, when the state filters on a column they leave out, that
 * column's detail (DetailData) for the members it keeps. A detail has the page's columns and its own, and perhaps
 * others: a filter on a left-out column it lacks cannot be applied with it, and is dropped from the state (the page
 * says so). Pure: no DOM, no Node.
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
  members: Record<string, SourceFile>;
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

export function cellsSource(state: FilterState, files: SourceFile[], details: DetailSource[]): CellsSource {
  const active = details.filter((d) => state.members[d.column]);
  if (!active.length) return { files, state, dropped: [] };
  // The first in the filter bar's order that has every other filtered column; else the first.
  const detail = active.find((d) => active.every((o) => o === d || d.columns.includes(o.column))) ?? active[0]!;
  const dropped = active.filter((o) => o !== detail && !detail.columns.includes(o.column)).map((o) => o.column);
  const members = Object.fromEntries(Object.entries(state.members).filter(([column]) => !dropped.includes(column)));
  const kept = state.members[detail.column]!.flatMap((m) => (detail.members[m] ? [detail.members[m]] : []));
  // With no member kept there is nothing to show, but a table to show it from: the smallest file, filtered to none.
  const smallest = Object.values(detail.members).reduce((a, b) => (b.gzip < a.gzip ? b : a));
  return { files: kept.length ? kept : [smallest], detail, state: { ...state, members }, dropped };
}

/**
 * Several members' cells as one table: first rows were flagged within each member, so a distinct-counted column
 * whose values span members is no longer exact under a filter on the split column.
 */
export function countedAcross(table: FactTable, detail: DetailSource): FactTable {
  if (!detail.spans.length) return table;
  return { ...table, exactBy: Object.fromEntries(Object.entries(table.exactBy).map(([c, by]) => [c, detail.spans.includes(c) ? by.filter((x) => x !== detail.column) : by])) };
}
