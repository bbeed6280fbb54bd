/**
 * The cube explorer's pivot against DuckDB: for a few hundred seeded random explorer choices (measure, row axis at
 * any level, optional column axis, nested expansions of real members, sort, filter state), every row at every
 * depth, every cell, every column total and the grand total equal an independent GROUP BY over the clean staging
 * table, exactly; and the rows come in the order the sort asks for, each expanded member followed by its children.
 */
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FilterState } from '../../src/lib/filter-state.ts';
import { pivot, type Axis, type Pivot, type PivotSpec } from '../../src/lib/pivot.ts';
import { parseExplorer, serializeExplorer, type ExplorerState } from '../../src/lib/pivot-state.ts';
import { matchingRows } from '../../src/lib/query.ts';
import { mulberry32, sampleStates } from '../helpers/filter-states.ts';
import { Mismatches } from '../helpers/mismatches.ts';
import { FIGURES_SQL, LEVELS, whereSql, type SampleMart } from '../helpers/mart.ts';
import { expectedPivot, pivotMismatches, sqlBy } from '../helpers/pivot-sql.ts';

const SEED = 20250311;
const CHOICES = 400;

let mart: SampleMart;
let states: FilterState[];

beforeAll(async () => {
  ({ mart, states } = await sampleStates(SEED, CHOICES));
});

/** A random choice; expansions open 0–3 real expandable rows of the pivot as it stands, so nested ones occur. */
function randomChoice(random: () => number, rows: Uint32Array): PivotSpec {
  const { table, engine } = mart;
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const axes = (dimensions = engine.dimensions) => dimensions.flatMap((d) => d.levels.map((_, level): Axis => ({ dimension: d.name, level })));
  const rowAxis = pick(axes());
  const columns = random() < 0.5 ? pick(axes(engine.dimensions.filter((d) => d.name !== rowAxis.dimension))) : undefined;
  const spec: PivotSpec = { measure: pick(engine.measures).name, rows: rowAxis, columns, expanded: [], sort: { by: 'label', column: '', descending: false } };
  const columnMembers = pivot(table, rows, engine, spec).columns;
  const sortColumn = columnMembers.length && random() < 0.5 ? pick(columnMembers) : random() < 0.1 ? 'No such column' : '';
  spec.sort = { by: random() < 0.6 ? 'value' : 'label', column: sortColumn, descending: random() < 0.5 };
  const expansions = Math.floor(random() * 4);
  for (let i = 0; i < expansions; i++) {
    const candidates = pivot(table, rows, engine, spec).rows.filter((r) => r.expandable && !r.expanded);
    const deeper = candidates.filter((r) => r.depth > 0);
    if (!candidates.length) break;
    spec.expanded.push(pick(deeper.length && random() < 0.8 ? deeper : candidates).path);
  }
  // A URL may name paths that are not shown: an unknown member, or a child whose parent was closed.
  if (random() < 0.1) spec.expanded.push(['No such member']);
  if (random() < 0.15 && spec.expanded.some((e) => e.length > 1)) spec.expanded = spec.expanded.filter((e) => e.length > 1);
  return spec;
}

interface Checked {
  spec: PivotSpec;
  result: Pivot;
}

describe('explorer pivot equals DuckDB', () => {
  const checked: Checked[] = [];

  it(`every row, cell and total for ${CHOICES} random explorer choices`, async () => {
    const { table, engine } = mart;
    const random = mulberry32(SEED + 1);
    const mismatches = new Mismatches();
    for (const state of states) {
      const rows = matchingRows(table, engine, state);
      const spec = randomChoice(random, rows);
      const result = pivot(table, rows, engine, spec);
      checked.push({ spec, result });
      const levels = LEVELS[spec.rows.dimension]!.slice(spec.rows.level);
      const column = spec.columns && LEVELS[spec.columns.dimension]![spec.columns.level];
      const want = await expectedPivot(sqlBy(mart.db, 'stg', FIGURES_SQL, spec.measure, whereSql(state)), spec, levels, column, spec.columns?.dimension === 'time');
      mismatches.add(...pivotMismatches(result, want, spec).map((m) => ({ state, spec, ...m })));
      // The choice survives the URL.
      const explorer: ExplorerState = { pivot: spec, chart: ([null, 'bar', 'line', 'heatmap'] as const)[Math.floor(random() * 4)]! };
      const parsed = parseExplorer(new URLSearchParams(serializeExplorer(explorer, engine).toString()), engine, 'revenue');
      if (!isDeepStrictEqual(parsed, explorer)) mismatches.add({ state, spec, what: 'URL round trip', pivot: parsed, sql: explorer });
    }
    mismatches.expectNone();
  });

  it('the choices cover every kind of explorer state', () => {
    const count = (p: (c: Checked) => boolean) => checked.filter(p).length;
    expect(checked.length).toBeGreaterThanOrEqual(200);
    expect(count((c) => c.result.rows.length > 0)).toBeGreaterThanOrEqual(200);
    for (const measure of mart.engine.measures) expect(count((c) => c.spec.measure === measure.name)).toBeGreaterThan(10);
    for (const d of mart.engine.dimensions) {
      d.levels.forEach((_, level) => expect(count((c) => c.spec.rows.dimension === d.name && c.spec.rows.level === level)).toBeGreaterThan(2));
      expect(count((c) => c.spec.columns?.dimension === d.name)).toBeGreaterThan(5);
    }
    expect(count((c) => !c.spec.columns)).toBeGreaterThan(50);
    expect(count((c) => c.result.rows.some((r) => r.depth === 1))).toBeGreaterThan(30);
    expect(count((c) => c.result.rows.some((r) => r.depth === 2))).toBeGreaterThan(10); // nested expansions
    expect(count((c) => c.spec.sort.by === 'value' && c.result.columns.includes(c.spec.sort.column))).toBeGreaterThan(20);
    expect(count((c) => c.spec.sort.by === 'label' && c.spec.sort.descending)).toBeGreaterThan(20);
    expect(count((c) => c.result.rows.length === 0)).toBeGreaterThan(0);
    expect(count((c) => c.result.rows.length > 10)).toBeGreaterThan(50);
  });
});
