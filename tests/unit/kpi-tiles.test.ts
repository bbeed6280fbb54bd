/**
 * KPI tiles: the comparison spans (table-driven) and the tiles' figures for a few states against independent
 * SQL over the clean staging table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { isoToDay, type FactTable } from '../../src/lib/fact-table.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';
import { comparisonSpans, kpiTiles } from '../../src/lib/kpi-tiles.ts';
import { yearEarlier, type Span } from '../../src/lib/periods.ts';
import type { Figures } from '../../src/lib/query.ts';
import { sampleMart, sqlGroups, sqlTotals, type SampleMart } from '../helpers/mart.ts';

const state = (s: Partial<FilterState>): FilterState => ({ ...emptyState(), ...s });

describe('yearEarlier', () => {
  it.each([
    ['2005-05-31', '2004-05-31'],
    ['2005-01-01', '2004-01-01'],
    ['2004-12-31', '2003-12-31'],
    ['2004-02-29', '2003-02-28'],
    ['2005-02-28', '2004-02-28'],
    ['2001-03-01', '2000-03-01'],
    ['2000-01-09', '1999-01-09'],
  ])('%s → %s', (iso, expected) => expect(yearEarlier(iso)).toBe(expected));
});

describe('comparisonSpans', () => {
  // Only the first and last days matter: the sample runs from 6 Jan 2003 to 31 May 2005.
  const table: FactTable = { length: 3, text: {}, numbers: {}, days: Int32Array.from(['2004-07-01', '2005-05-31', '2003-01-06'], isoToDay), weights: new Float64Array(3).fill(1), histograms: {}, exactBy: {} };
  it.each<[string, Partial<FilterState>, Span, Span]>([
    ['no range: the latest year to date', {}, { from: '2005-01-01', to: '2005-05-31' }, { from: '2004-01-01', to: '2004-05-31' }],
    ['a closed range', { from: '2004-03-01', to: '2004-08-15' }, { from: '2004-03-01', to: '2004-08-15' }, { from: '2003-03-01', to: '2003-08-15' }],
    ['open at the end: up to the last order', { from: '2004-06-01' }, { from: '2004-06-01', to: '2005-05-31' }, { from: '2003-06-01', to: '2004-05-31' }],
    ['open at the start: from the first order', { to: '2004-02-29' }, { from: '2003-01-06', to: '2004-02-29' }, { from: '2002-01-06', to: '2003-02-28' }],
    ['members and drills do not move the span', { members: { status: ['Cancelled'] }, drill: { time: ['2003'] } }, { from: '2005-01-01', to: '2005-05-31' }, { from: '2004-01-01', to: '2004-05-31' }],
  ])('%s', (_name, s, current, previous) => {
    expect(comparisonSpans(state(s), table)).toEqual({ current, previous });
  });
});

describe('kpiTiles equal SQL', () => {
  let mart: SampleMart;
  beforeAll(async () => {
    mart = await sampleMart();
  });

  const change = (now: number | null, before: number | null) =>
    now == null || !before ? null : Math.round(((now - before) / before) * 10000) / 10000;

  // The state, and the spans it is compared over (written out by hand, not computed by comparisonSpans).
  it.each<[string, Partial<FilterState>, Span, Span]>([
    ['the default view', {}, { from: '2005-01-01', to: '2005-05-31' }, { from: '2004-01-01', to: '2004-05-31' }],
    [
      'two product lines in EMEA over a closed range',
      { from: '2004-03-01', to: '2004-08-15', members: { product_line: ['Motorcycles', 'Planes'], territory: ['EMEA'] } },
      { from: '2004-03-01', to: '2004-08-15' },
      { from: '2003-03-01', to: '2003-08-15' },
    ],
    [
      'chosen statuses (Cancelled included) from June 2004 on',
      { from: '2004-06-01', members: { status: ['Cancelled', 'On Hold', 'Shipped'] } },
      { from: '2004-06-01', to: '2005-05-31' },
      { from: '2003-06-01', to: '2004-05-31' },
    ],
    [
      'France, up to a leap day',
      { to: '2004-02-29', drill: { geography: ['EMEA', 'France'] } },
      { from: '2003-01-06', to: '2004-02-29' },
      { from: '2002-01-06', to: '2003-02-28' },
    ],
    [
      'a drill into 2004: the comparison span replaces it, as it replaces a date range',
      { drill: { time: ['2004'], product: ['Classic Cars'] } },
      { from: '2005-01-01', to: '2005-05-31' },
      { from: '2004-01-01', to: '2004-05-31' },
    ],
    ['nothing kept', { members: { deal_size: [] } }, { from: '2005-01-01', to: '2005-05-31' }, { from: '2004-01-01', to: '2004-05-31' }],
  ])('%s', async (_name, partial, current, previous) => {
    const { table, engine, db } = mart;
    const s = state(partial);
    const tiles = kpiTiles(table, engine, s, 'month');
    const withoutTime = { ...s.drill };
    delete withoutTime.time;
    const over = (span: Span) => sqlTotals(db, { ...s, ...span, drill: withoutTime });
    const [value, now, before] = await Promise.all([sqlTotals(db, s), over(current), over(previous)]);
    const monthly = await sqlGroups(db, s, 'month');

    const figures = (pick: (t: (typeof tiles)[number]) => number | null): Figures => Object.fromEntries(tiles.map((t) => [t.measure.name, pick(t)]));
    expect(figures((t) => t.value)).toEqual(value);
    expect(figures((t) => t.current)).toEqual(now);
    expect(figures((t) => t.previous)).toEqual(before);
    expect(figures((t) => t.change)).toEqual(Object.fromEntries(Object.keys(now).map((m) => [m, change(now[m]!, before[m]!)])));
    for (const tile of tiles) {
      expect(tile.spark, tile.measure.name).toEqual(monthly.map((g) => ({ key: g.key, value: g.figures[tile.measure.name] })));
    }
  });
});
