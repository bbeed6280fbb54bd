/**
 * "Why did it change" in the browser (src/lib/contributions.ts) against DuckDB: for seeded random filter states and
 * pairs of periods (a year earlier, the span just before, any other dates, overlapping or empty ones included), every
 * total, every member's before, after and change, and every mix and rate effect equal independent SQL over the clean
 * staging table; the members' changes add up to the total's to the cent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { comparedSpans, contributions, parseCompare, serializeCompare, type CompareWith, type Comparison } from '../../src/lib/contributions.ts';
import { dayToIso, type FactTable } from '../../src/lib/fact-table.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';
import type { Span } from '../../src/lib/periods.ts';
import { mulberry32, sampleStates } from '../helpers/filter-states.ts';
import { whereSql, type SampleMart } from '../helpers/mart.ts';
import { Mismatches } from '../helpers/mismatches.ts';
import { pageCells } from '../helpers/pipeline.ts';

const SEED = 20261203;
const STATES = 120;
const COLUMNS = ['product_line', 'country', 'customer_name', 'deal_size'];

let mart: SampleMart;
let states: FilterState[];
let pairs: CompareWith[];
const spec = () => ({ ...mart.engine, primaryMeasure: 'revenue' });

beforeAll(async () => {
  ({ mart, states } = await sampleStates(SEED, STATES));
  const random = mulberry32(SEED);
  const { days } = mart.table;
  const [first, last] = [Math.min(...days), Math.max(...days)];
  const day = () => dayToIso(first - 30 + Math.floor(random() * (last - first + 60)));
  pairs = states.map(() => {
    const r = random();
    if (r < 0.35) return 'year';
    if (r < 0.6) return 'before';
    const [a, b] = [day(), day()].sort();
    return { from: a!, to: b! };
  });
});

/** Each period's figures per member of `column` (null: the whole), with SQL written for this test. */
async function sqlPeriods(db: SampleMart['db'], state: FilterState, spans: Comparison, column: string | null) {
  // The periods replace the state's dates and any drill into time.
  const { time: _time, ...drill } = state.drill;
  const where = (span: Span) => whereSql({ ...state, ...span, drill });
  const member = column ? `${column}::VARCHAR` : 'NULL::VARCHAR';
  const figures = `round(sum(sales), 2)::DOUBLE as revenue, sum(quantity)::DOUBLE as units, count(*)::DOUBLE as lines, count(distinct order_number)::DOUBLE as orders`;
  return db.rows<{ member: string | null; period: number; revenue: number; units: number; lines: number; orders: number }>(`
    select ${member} as member, 0 as period, ${figures} from stg where ${where(spans.previous)} group by all
    union all
    select ${member} as member, 1 as period, ${figures} from stg where ${where(spans.current)} group by all`);
}

const round2 = (v: number) => Math.sign(v) * Math.round(Math.abs(v) * 100) / 100 || 0;

/** The comparison as DuckDB gives it, in the shape contributions() returns. */
async function sqlContributions(state: FilterState, spans: Comparison) {
  const { db } = mart;
  const measures = ['revenue', 'units', 'lines'] as const;
  type Values = Record<string, [number, number]>;
  const collect = (rows: Awaited<ReturnType<typeof sqlPeriods>>) => {
    const out = new Map<string | null, Values>();
    for (const r of rows) {
      const v = out.get(r.member) ?? { revenue: [0, 0], units: [0, 0], lines: [0, 0], orders: [0, 0] };
      for (const m of [...measures, 'orders'] as const) v[m]![r.period as 0 | 1] = Number(r[m]);
      out.set(r.member, v);
    }
    return out;
  };
  const whole = collect(await sqlPeriods(db, state, spans, null)).get(null) ?? { revenue: [0, 0], units: [0, 0], lines: [0, 0], orders: [0, 0] };
  const change = (m: string, [b, a]: [number, number]) => [b, a, m === 'revenue' || m === 'aov' ? round2(a - b) : a - b];
  const aov = (p: 0 | 1) => (whole.orders![p] ? round2(whole.revenue![p] / whole.orders![p]) : 0);
  const by = [];
  for (const column of COLUMNS) {
    const members = [...collect(await sqlPeriods(db, state, spans, column))];
    members.sort(([a, x], [b, y]) => Math.abs(y.revenue![1] - y.revenue![0]) - Math.abs(x.revenue![1] - x.revenue![0]) || String(a).localeCompare(String(b)));
    // Mix and rate, as the formula in src/lib/decompose.ts says, exact only when the members' orders add up.
    const adds = ([0, 1] as const).every((p) => members.reduce((n, [, v]) => n + v.orders![p], 0) === whole.orders![p]);
    const effects = members.map(([, v]) => {
      const [o0, o1] = v.orders!;
      const w0 = whole.orders![0] ? o0 / whole.orders![0] : 0;
      const w1 = whole.orders![1] ? o1 / whole.orders![1] : 0;
      const r0 = o0 ? v.revenue![0] / o0 : o1 ? v.revenue![1] / o1 : 0;
      const r1 = o1 ? v.revenue![1] / o1 : r0;
      return { mix: round2(((w1 - w0) * (r0 + r1)) / 2), rate: round2(((r1 - r0) * (w0 + w1)) / 2) };
    });
    by.push({
      column,
      members: members.map(([member, v]) => ({ member, values: Object.fromEntries(measures.map((m) => [m, change(m, v[m]!)])) })),
      aov: adds ? effects : 'not exact',
    });
  }
  return { totals: { ...Object.fromEntries(measures.map((m) => [m, change(m, whole[m]!)])), aov: change('aov', [aov(0), aov(1)]) }, by };
}

describe('why did it change, in the browser, equals DuckDB', () => {
  it(`for ${STATES} random filter states and pairs of periods, to the cent`, async () => {
    const mismatches = new Mismatches();
    let changed = 0;
    for (const [i, state] of states.entries()) {
      const spans = comparedSpans(state, mart.table, 'day', pairs[i]!);
      const browser = contributions(mart.table, spec(), state, spans, COLUMNS);
      const sql = await sqlContributions(state, spans);
      const context = { state, spans };
      mismatches.compare(context, 'totals', browser.totals, sql.totals);
      for (const [k, by] of browser.by.entries()) {
        const expected = sql.by[k]!;
        mismatches.compare(context, `members by ${by.column}`, by.members, expected.members);
        mismatches.compare(context, `aov by ${by.column}`, by.ratios.aov!.exact ? by.ratios.aov!.effects : 'not exact', expected.aov);
        // The members' changes add up to the total change, to the cent, for every additive measure.
        for (const m of ['revenue', 'units', 'lines']) {
          const sum = by.members.reduce((a, x) => a + x.values[m]![2], 0);
          if (Math.abs(sum - browser.totals[m]![2]) >= 0.005) mismatches.add({ ...context, what: `${m} by ${by.column} adds up`, sum, total: browser.totals[m]![2] });
        }
        if (by.ratios.aov!.exact) {
          const sum = by.ratios.aov!.effects.reduce((a, e) => a + e.mix + e.rate, 0);
          // The effects add up to the change of the ratios before rounding: within a cent of the rounded ratios'
          // change, and half a cent per member for the rounding of each effect.
          if (Math.abs(sum - browser.totals.aov![2]) > 0.0101 + 0.005 * by.members.length) mismatches.add({ ...context, what: `aov by ${by.column} adds up`, sum });
        }
      }
      if (browser.totals.revenue![2] !== 0) changed++;
    }
    mismatches.expectNone();
    // The pairs must exercise both sides: most compare rows, some compare nothing.
    expect(changed).toBeGreaterThan(STATES * 0.4);
    expect(changed).toBeLessThan(STATES);
  });

  it('the pairs cover every kind of comparison', () => {
    expect(pairs.filter((p) => p === 'year').length).toBeGreaterThan(20);
    expect(pairs.filter((p) => p === 'before').length).toBeGreaterThan(20);
    expect(pairs.filter((p) => typeof p !== 'string').length).toBeGreaterThan(20);
  });

  it('the Drivers page’s own cells give the same comparison as the full mart for the filters they have', () => {
    const drivers = pageCells(mart.outDir, 'sales', 'drivers/');
    const mismatches = new Mismatches();
    for (const [i, state] of states.entries()) {
      const shown = { ...state, members: Object.fromEntries(Object.entries(state.members).filter(([c]) => drivers.text[c])), drill: {} };
      const spans = comparedSpans(shown, mart.table, 'day', pairs[i]!);
      mismatches.compare({ state: shown }, 'contributions', contributions(drivers, spec(), shown, spans, COLUMNS), contributions(mart.table, spec(), shown, spans, COLUMNS));
    }
    mismatches.expectNone();
  });
});

describe('the two periods', () => {
  // Cells from 3 January 2003 to 17 May 2005.
  const table = { days: Int32Array.from([12055, 12500, 12920]) } as unknown as FactTable;
  const ytd = { ...emptyState() };

  it('default to the latest year to date against the same days a year earlier', () => {
    expect(comparedSpans(ytd, table, 'day', 'year')).toEqual({ current: { from: '2005-01-01', to: '2005-05-17' }, previous: { from: '2004-01-01', to: '2004-05-17' } });
  });

  it('end the year to date with the last whole month for monthly cells, never comparing a part month with a whole one', () => {
    expect(comparedSpans(ytd, table, 'month', 'year')).toEqual({ current: { from: '2005-01-01', to: '2005-04-30' }, previous: { from: '2004-01-01', to: '2004-04-30' } });
  });

  it('compare with the span just before, of the same length, in whole cells', () => {
    expect(comparedSpans(ytd, table, 'day', 'before')).toEqual({ current: { from: '2005-01-01', to: '2005-05-17' }, previous: { from: '2004-08-17', to: '2004-12-31' } });
    expect(comparedSpans({ ...ytd, from: '2004-03-01', to: '2004-04-30' }, table, 'month', 'before').previous).toEqual({ from: '2004-01-01', to: '2004-02-29' });
  });

  it('compare with any other dates, widened to whole cells', () => {
    expect(comparedSpans(ytd, table, 'month', { from: '2003-02-10', to: '2003-03-03' }).previous).toEqual({ from: '2003-02-01', to: '2003-03-31' });
  });

  it('are kept in the URL: absent for a year earlier, "before", or from/to', () => {
    for (const vs of ['year', 'before', { from: '2003-02-01', to: '2003-03-31' }] as CompareWith[]) expect(parseCompare(serializeCompare(vs))).toEqual(vs);
    expect(serializeCompare('year')).toBeNull();
    expect(parseCompare('2004-05-01/2004-01-01')).toBe('year');
    expect(parseCompare('yesterday')).toBe('year');
  });
});
