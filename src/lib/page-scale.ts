/**
 * What a page can show of its cells (its part of manifest.pages): the grain of their dates, the hierarchy levels they
 * kept, medians estimated from bins, distinct counts they cannot make; and per panel whether it runs on the cells
 * (filtered), comes from the pipeline's own one-dimension slice (exact, but for all rows: filters do not apply), or
 * is hidden. Pure: no DOM, no Node.
 */
import type { ChartDef } from './charts/definitions.ts';
import type { DimensionSpec, LevelSpec, MeasureSpec } from './contract/declaration.ts';
import type { DetailData, PageData } from './contract/page-data.ts';
import type { GroupRow } from './query.ts';

export interface PageScale {
  /** Columns the cells left out (each level's column). */
  leftOut: string[];
  /** Columns the cells have (the time column aside). */
  columns: string[];
  /** Per column split into details, the columns a member's detail has: a drill into the member reaches them. */
  details: Record<string, string[]>;
  timeGrain: PageData['timeGrain'];
  /** Median columns estimated from quantile bins (shown as ≈). */
  binned: string[];
  /** Distinct-counted columns the cells cannot count. */
  uncounted: string[];
  /** Distinct-counted columns counted by first rows, with the cells' columns a filter or breakdown by loses them. */
  countedUnless: Record<string, string[]>;
  /** Dimensions whose `cube_<dimension>` slice exists as Arrow. */
  slices: string[];
  /** What the mart's rows are (the declaration's site.rows, e.g. 'cars'). */
  rows: string;
  /** How many rows the cells stand for, and how many cells there are. */
  rowCount: number;
  cells: number;
}

export function pageScale(data: PageData, slices: string[], rows: string, details: Pick<DetailData, 'column' | 'columns'>[] = []): PageScale {
  return {
    leftOut: data.leftOut.map((l) => l.column),
    columns: data.columns,
    details: Object.fromEntries(details.map((d) => [d.column, d.columns])),
    timeGrain: data.timeGrain,
    binned: Object.entries(data.medians).flatMap(([column, how]) => (how === 'binned' ? [column] : [])),
    uncounted: data.uncounted,
    countedUnless: Object.fromEntries(Object.entries(data.exactBy).map(([column, by]) => [column, data.columns.filter((c) => !by.includes(c))])),
    slices,
    rows,
    rowCount: data.rows,
    cells: data.cells,
  };
}

/** The measures as a page shows them: a median of a binned column is estimated (≈). */
export const shownMeasures = (measures: MeasureSpec[], scale: PageScale): MeasureSpec[] =>
  measures.map((m) => (m.agg === 'median' && scale.binned.includes(m.column) ? { ...m, approximate: true } : m));

/**
 * Each dimension's levels down to the first one the cells do not have (left out, or not needed by the page: a link
 * shared from another page may drill into it) and no detail of a level above has (a drill into a make fetches its
 * models); a dimension left with no level is dropped.
 */
export function keptDimensions(dimensions: DimensionSpec[], cube: PageScale | undefined): DimensionSpec[] {
  if (!cube) return dimensions;
  const has = new Set(cube.columns);
  return dimensions
    .map((d) => {
      const reached = (column: string, i: number) => has.has(column) || d.levels.slice(0, i).some((above) => cube.details[above.column]?.includes(column));
      const first = d.levels.findIndex((l, i) => !reached(l.column, i));
      return first < 0 ? d : { ...d, levels: d.levels.slice(0, first) };
    })
    .filter((d) => d.levels.length > 0);
}

export type PanelPlan =
  /** From the cells, filtered; `note` says what the cells could not give (e.g. a drill stopping early). */
  | { mode: 'live'; def: ChartDef; note?: string }
  /** From the dimension's slice: exact, for all rows; a static chart. */
  | { mode: 'slice'; def: ChartDef; dimension: string; note: string }
  | { mode: 'hidden'; note: string };

/** Said of a chart drawn from a slice: its figures are for every row, whatever the filters. */
export const sliceNote = (cube: Pick<PageScale, 'rows'>) => `All ${cube.rows}: filters do not apply at this scale.`;

const list = (labels: string[]) => (labels.length < 2 ? labels.join('') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`);

/** Where the level of a column sits: its dimension and depth (1 = the dimension's first level). */
export function levelOf(dimensions: DimensionSpec[], column: string): { dimension: DimensionSpec; level: LevelSpec; depth: number } | undefined {
  for (const dimension of dimensions) {
    const i = dimension.levels.findIndex((l) => l.column === column);
    if (i >= 0) return { dimension, level: dimension.levels[i]!, depth: i + 1 };
  }
  return undefined;
}

/** How a chart is served at this scale. Without a cube every chart is live and unchanged. */
export function planChart(def: ChartDef, dimensions: DimensionSpec[], cube: PageScale): PanelPlan {
  const out = new Set(cube.leftOut);
  const label = (column: string) => levelOf(dimensions, column)?.level.label ?? column;
  const fromSlice = (column: string, sliceDef: ChartDef): PanelPlan => {
    const found = levelOf(dimensions, column);
    if (found && cube.slices.includes(found.dimension.name)) return { mode: 'slice', def: sliceDef, dimension: found.dimension.name, note: sliceNote(cube) };
    return { mode: 'hidden', note: `${label(column)} is not in the browser's data at this scale (${cube.leftOut.length} levels are left out to keep the download small), and no pre-computed slice of it exists.` };
  };
  switch (def.kind) {
    case 'bars':
    case 'map':
    case 'heatmap':
      return out.has(def.column) ? fromSlice(def.column, def) : { mode: 'live', def };
    case 'trend': {
      const grains = def.grains.filter((g) => !out.has(g));
      if (!grains.length) return { mode: 'hidden', note: `None of the periods (${list(def.grains.map(label))}) is in the browser's data at this scale.` };
      if (grains.length === def.grains.length) return { mode: 'live', def };
      const dropped = def.grains.filter((g) => out.has(g)).map((g) => label(g).toLowerCase());
      return {
        mode: 'live',
        def: { ...def, grains, grain: grains.includes(def.grain) ? def.grain : grains.at(-1)! },
        note: `Not by ${list(dropped)} at this scale: dates are to the ${cube.timeGrain}.`,
      };
    }
    case 'drill': {
      const dimension = dimensions.find((d) => d.name === def.dimension);
      if (!dimension) return { mode: 'live', def };
      const kept = keptDimensions([dimension], cube)[0];
      if (!kept) {
        const first = dimension.levels[0]!;
        return fromSlice(first.column, { kind: 'bars', id: def.id, title: def.title, measure: def.measure, column: first.column, limit: def.limit });
      }
      if (kept.levels.length === dimension.levels.length) return { mode: 'live', def };
      const missing = dimension.levels.slice(kept.levels.length).map((l) => l.label.toLowerCase());
      return { mode: 'live', def, note: `The drill stops at ${kept.levels.at(-1)!.label.toLowerCase()}: ${list(missing)} ${missing.length > 1 ? 'are' : 'is'} not in the browser's data at this scale.` };
    }
  }
}

/** A column's members in a slice: the rows at that level's depth, with every measure as the pipeline computed it. */
export function sliceGroups(slice: { depth: ArrayLike<number>; key: (row: number) => string | null; figure: (measure: string, row: number) => number | null; length: number }, depth: number, measures: string[]): GroupRow[] {
  const groups: GroupRow[] = [];
  for (let row = 0; row < slice.length; row++) {
    if (slice.depth[row] !== depth) continue;
    const key = slice.key(row);
    if (key == null) continue;
    groups.push({ keys: [key], figures: Object.fromEntries(measures.map((m) => [m, slice.figure(m, row)])) });
  }
  return groups;
}

/** What the cells cannot give as precisely as the rows would: said on the page, empty when nothing. */
export function precisionNotes(scale: PageScale, measures: MeasureSpec[], label: (column: string) => string = (c) => c): string[] {
  const labels = (test: (m: MeasureSpec) => boolean) => list(measures.filter(test).map((m) => m.label.toLowerCase()));
  return [
    ...Object.entries(scale.countedUnless).flatMap(([column, unless]) =>
      unless.length ? [`${labels((m) => m.agg === 'countDistinct' && m.column === column)} show no figure under a filter or breakdown by ${list(unless.map(label))}`] : [],
    ),
    ...(scale.timeGrain === 'day' ? [] : [`dates to the ${scale.timeGrain}: a date range applies to whole ${scale.timeGrain}s`]),
    ...(scale.binned.length ? [`${labels((m) => m.agg === 'median' && scale.binned.includes(m.column))} marked ≈ are estimated within the band of values that holds the middle one`] : []),
    ...(scale.uncounted.length ? [`${labels((m) => m.agg === 'countDistinct' && scale.uncounted.includes(m.column))} cannot be counted here`] : []),
  ];
}
