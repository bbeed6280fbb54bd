/**
 * The browser's query engine against DuckDB: for a few hundred seeded random filter states (date ranges,
 * member lists, drill paths), totals and group-bys over the Arrow mart equal independent SQL over the clean
 * staging table, exactly, to the cent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chartData } from '../../src/lib/charts/definitions.ts';
import { dayToIso, isoToDay } from '../../src/lib/fact-table.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';
import { groupBy, matchingRows, totals } from '../../src/lib/query.ts';
import { sampleMart, sqlGroups, sqlTotals, type SampleMart } from '../helpers/mart.ts';

const SEED = 20240607;
const STATES = 300;

/** mulberry32: a tiny seeded generator of floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILTERED = ['product_line', 'territory', 'country', 'status', 'deal_size', 'customer_name'] as const;

interface Universe {
  members: Record<string, string[]>;
  /** Parent member → its children (product line → codes, territory → countries). */
  children: Record<string, Record<string, string[]>>;
  years: string[];
  first: number;
  last: number;
}

function randomState(random: () => number, u: Universe): FilterState {
  const chance = (p: number) => random() < p;
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const some = (xs: string[], max: number) => {
    const pool = [...xs];
    const n = 1 + Math.floor(random() * Math.min(max, pool.length));
    return Array.from({ length: n }, () => pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  };
  const state = emptyState();
  if (chance(0.5)) {
    // Days from a month before the first order to a month after the last: some ranges miss every row.
    const day = () => dayToIso(u.first - 30 + Math.floor(random() * (u.last - u.first + 60)));
    state.from = chance(0.8) ? day() : null;
    state.to = chance(0.8) ? day() : null;
    if (state.from && state.to && state.from > state.to && chance(0.7)) [state.from, state.to] = [state.to, state.from];
  }
  for (const column of FILTERED) {
    if (!chance(column === 'customer_name' ? 0.12 : 0.22)) continue;
    if (chance(0.08)) state.members[column] = []; // every member unticked: nothing matches
    else state.members[column] = some(u.members[column]!, column === 'customer_name' ? 12 : 4);
    if (chance(0.05)) state.members[column]!.push('No such member');
  }
  if (chance(0.1)) state.members.status = ['Cancelled', ...(chance(0.5) ? ['Shipped'] : [])];
  if (chance(0.25)) {
    const line = pick(u.members.product_line!);
    state.drill.product = chance(0.5) ? [line] : [line, pick(chance(0.9) ? u.children.product_line![line]! : u.members.product_code!)];
  }
  if (chance(0.25)) {
    const territory = pick(u.members.territory!);
    state.drill.geography = chance(0.5) ? [territory] : [territory, pick(u.children.territory![territory]!)];
  }
  if (chance(0.2)) state.drill.time = [pick(u.years)];
  return state;
}

let mart: SampleMart;
let states: FilterState[];

beforeAll(async () => {
  mart = await sampleMart();
  const { db, table } = mart;
  const values = async (sql: string) => (await db.rows<{ v: string }>(sql)).map((r) => r.v);
  const members: Universe['members'] = {};
  for (const column of [...FILTERED, 'product_code']) members[column] = await values(`select distinct ${column} as v from stg order by v`);
  const children: Universe['children'] = {};
  for (const [parent, child] of [['product_line', 'product_code'], ['territory', 'country']] as const) {
    const rows = await db.rows<{ p: string; c: string[] }>(`select ${parent} as p, list(distinct ${child} order by ${child}) as c from stg group by 1`);
    children[parent] = Object.fromEntries(rows.map((r) => [r.p, r.c]));
  }
  // One year before the data, so a time drill can miss.
  const years = await values(`select distinct year::VARCHAR as v from stg union select (min(year) - 1)::VARCHAR from stg order by v`);
  const first = Math.min(...table.days);
  const last = Math.max(...table.days);
  const random = mulberry32(SEED);
  states = Array.from({ length: STATES }, () => randomState(random, { members, children, years, first, last }));
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
    const mismatches: { state: FilterState; what: string; browser: unknown; sql: unknown }[] = [];
    const compare = (state: FilterState, what: string, browser: unknown, sql: unknown) => {
      try {
        expect(browser).toEqual(sql);
      } catch {
        mismatches.push({ state, what, browser, sql });
      }
    };
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
    expect({ count: mismatches.length, first: mismatches.slice(0, 3) }).toEqual({ count: 0, first: [] });
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
