/**
 * What a viewer has chosen: a date range, members per column, and a drill path per dimension. It lives in
 * the URL (shareable, restored by reload and the back button); these functions read and write it.
 */
import { cellSpan, type Grain } from './periods.ts';

export interface FilterState {
  /** Inclusive ISO dates; null is open-ended. */
  from: string | null;
  to: string | null;
  /** Column → members to keep (any of them). A column absent here is not filtered. */
  members: Record<string, string[]>;
  /** Dimension → members chosen from the top level down (e.g. product: ["Classic Cars"]). */
  drill: Record<string, string[]>;
}

export const emptyState = (): FilterState => ({ from: null, to: null, members: {}, drill: {} });

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const DRILL = 'drill.';

/** Reads a state from URL parameters, keeping only known columns and dimensions and well-formed dates. */
export function parseState(params: URLSearchParams, columns: readonly string[], dimensions: readonly string[]): FilterState {
  const state = emptyState();
  const from = params.get('from');
  const to = params.get('to');
  if (from && ISO.test(from)) state.from = from;
  if (to && ISO.test(to)) state.to = to;
  for (const column of columns) {
    // A column given with only an empty value keeps nothing: the viewer unticked every member.
    if (params.has(column)) state.members[column] = [...new Set(params.getAll(column).filter((v) => v !== ''))];
  }
  for (const dimension of dimensions) {
    const path = params.getAll(DRILL + dimension).filter((v) => v !== '');
    if (path.length) state.drill[dimension] = path;
  }
  return state;
}

/** Writes a state as URL parameters in a fixed order, so equal states give equal URLs. */
export function serializeState(state: FilterState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  for (const column of Object.keys(state.members).sort()) {
    const members = state.members[column]!;
    if (!members.length) params.append(column, '');
    for (const v of members) params.append(column, v);
  }
  for (const dimension of Object.keys(state.drill).sort()) for (const v of state.drill[dimension]!) params.append(DRILL + dimension, v);
  return params;
}

/** Adds the member when absent, removes it when present: what a click on a bar or map region does. */
export function toggleMember(state: FilterState, column: string, member: string): FilterState {
  const current = state.members[column] ?? [];
  const next = current.includes(member) ? current.filter((m) => m !== member) : [...current, member];
  const members = { ...state.members };
  if (next.length) members[column] = next;
  else delete members[column];
  return { ...state, members };
}

export function setDrill(state: FilterState, dimension: string, path: string[]): FilterState {
  const drill = { ...state.drill };
  if (path.length) drill[dimension] = path;
  else delete drill[dimension];
  return { ...state, drill };
}

/**
 * A date range as cells of a grain can answer it: from the start of the cell holding `from` to the end of the cell
 * holding `to`. Days are kept as they are.
 */
export function snapRange(state: FilterState, grain: Grain): FilterState {
  if (grain === 'day') return state;
  return { ...state, from: state.from && cellSpan(state.from, grain).from, to: state.to && cellSpan(state.to, grain).to };
}
