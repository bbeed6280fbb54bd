/**
 * The browser's query engine against DuckDB: for a few hundred seeded random filter states (date ranges,
 * member lists, drill paths), totals and group-bys over the Arrow mart equal independent SQL over the clean
 * staging table, exactly, to the cent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chartData } from '../../src/lib/charts/definitions.ts';
import { isoToDay } from '../../src/lib/fact-table.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';
import { groupBy, matchingRows, totals } from '../../src/lib/query.ts';
import { sampleStates } from '../helpers/filter-states.ts';
import { Mismatches } from '../helpers/mismatches.ts';
import { sqlGroups, sqlTotals, type SampleMart } from '../helpers/mart.ts';

const SEED = 20240607;
const STATES = 300;

let mart: SampleMart;
let states: FilterState[];

beforeAll(async () => {
  ({ mart, states } = await sampleStates(SEED, STATES));
});

const byKey = <T extends { key: string }>(xs: T[]) => [...xs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

describe('browser engine equals DuckDB', () => {
  it('keeps nothing for an explicit empty member list, and applies the default filter only without a status list', () => {
    const { table, engine } = mart;
    expect(matchingRows(table, engine, { ...emptyState(), members: { status: [] } })).toHaveLength(0);
    expect(matchingRows(table, engine, { ...emptyState(), members: { country: [] } })).toHaveLength(0);
    expect(matchingRows(table, engine, emptyState())).toHaveLength(2763);
    expect(matchingRows(table, engine, { ...emptyState(), members: { status: ['Cancelled'] } })).toHaveLength(60);
  });

  it(`totals and group-bys for ${STATES} random states`, async () => {
    const { table, engine, db } = mart;
    const mismatches = new Mismatches();
    const compare = (state: FilterState, what: string, browser: unknown, sql: unknown) => mismatches.compare({ state }, what, browser, sql);
    let nonEmpty = 0;
    for (const state of states) {
      const rows = matchingRows(table, engine, state);
      if (rows.length) nonEmpty++;
      compare(state, 'totals', totals(table, rows, engine.measures), await sqlTotals(db, state));
      for (const column of ['product_line', 'country', 'month', 'year']) {
        const browser = groupBy(table, rows, [column], engine.measures).map((g) => ({ key: g.keys[0]!, figures: g.figures }));
        compare(state, `by ${column}`, byKey(browser), byKey(await sqlGroups(db, state, column)));
      }
      // The drill chart of each drilled dimension shows the next level down, ranked by revenue.
      for (const [dimension, path] of Object.entries(state.drill)) {
        const data = chartData({ kind: 'drill', id: dimension, title: dimension, measure: 'revenue', dimension }, table, rows, engine, state);
        const { levels } = engine.dimensions.find((d) => d.name === dimension)!;
        const column = levels[Math.min(path.length, levels.length - 1)]!.column; // a full path shows its last level
        const ranked = (await sqlGroups(db, state, column)).map((g) => ({ key: g.key, value: g.figures.revenue as number | null }));
        ranked.sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || a.key.localeCompare(b.key));
        compare(state, `drill chart ${dimension}`, data.rows, ranked);
      }
    }
    mismatches.expectNone();
    // The generator must exercise both sides: many states keep rows, some keep none.
    expect(nonEmpty).toBeGreaterThan(STATES * 0.4);
    expect(nonEmpty).toBeLessThan(STATES);
  });

  it('the generator covers every kind of state', () => {
    const count = (p: (s: FilterState) => boolean) => states.filter(p).length;
    expect(states.length).toBeGreaterThanOrEqual(200);
    expect(count((s) => !!s.from !== !!s.to)).toBeGreaterThan(5); // open-ended ranges
    expect(count((s) => !!s.from && !!s.to && isoToDay(s.from) > isoToDay(s.to))).toBeGreaterThan(0);
    expect(count((s) => Object.values(s.members).some((m) => m.length === 0))).toBeGreaterThan(5);
    expect(count((s) => !!s.members.status?.includes('Cancelled'))).toBeGreaterThan(5);
    expect(count((s) => !!s.members.customer_name?.length)).toBeGreaterThan(5);
    expect(count((s) => s.drill.product?.length === 2)).toBeGreaterThan(5);
    expect(count((s) => s.drill.geography?.length === 2)).toBeGreaterThan(5);
    expect(count((s) => !!s.drill.time)).toBeGreaterThan(5);
  });
});
