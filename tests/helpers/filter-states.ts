/**
 * Seeded random filter states over the sample (date ranges, member lists, drill paths), shared by the property
 * tests of the query engine and of the explorer's pivot.
 */
import { dayToIso } from '../../src/lib/fact-table.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';
import { mulberry32 } from '../../bench/generators/types.ts';
import { sampleMart, type SampleMart } from './mart.ts';

export { mulberry32 } from '../../bench/generators/types.ts';

const FILTERED = ['product_line', 'territory', 'country', 'status', 'deal_size', 'customer_name'] as const;

export interface Universe {
  members: Record<string, string[]>;
  /** Parent member → its children (product line → codes, territory → countries). */
  children: Record<string, Record<string, string[]>>;
  years: string[];
  first: number;
  last: number;
}

/** The members, hierarchy and date span the generator draws from, read from the sample's `stg`. */
export async function sampleUniverse({ db, table }: SampleMart): Promise<Universe> {
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
  return { members, children, years, first: Math.min(...table.days), last: Math.max(...table.days) };
}

export function randomState(random: () => number, u: Universe): FilterState {
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

/** The sample's mart and `n` seeded random filter states over it: the setup of every property test. */
export async function sampleStates(seed: number, n: number): Promise<{ mart: SampleMart; states: FilterState[] }> {
  const mart = await sampleMart();
  const universe = await sampleUniverse(mart);
  const random = mulberry32(seed);
  return { mart, states: Array.from({ length: n }, () => randomState(random, universe)) };
}
