/** The query engine on a hand-made table: the cases the sample cannot show (missing numbers, numeric levels). */
import { describe, expect, it } from 'vitest';
import type { MeasureSpec } from '../../src/lib/contract/declaration.ts';
import { isoToDay, type FactTable } from '../../src/lib/fact-table.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';
import { groupBy, matchingRows, totals, type EngineSpec } from '../../src/lib/query.ts';

// Five rows; the third has no ticket number and no customer, the last is cancelled.
const table: FactTable = {
  length: 5,
  text: {
    customer: { codes: Int32Array.from([0, 1, -1, 0, 1]), values: ['Ann', 'Bob'] },
    status: { codes: Int32Array.from([0, 0, 0, 0, 1]), values: ['Open', 'Cancelled'] },
  },
  numbers: {
    year: Float64Array.from([2003, 2003, 2004, 2004, 2004]),
    ticket: Float64Array.from([7, 7, Number.NaN, 8, 9]),
    amount: Float64Array.from([1.1, 2.2, 3.3, Number.NaN, 5.5]),
  },
  days: Int32Array.from(['2003-01-01', '2003-06-30', '2004-01-01', '2004-02-29', '2004-12-31'], isoToDay),
  weights: new Float64Array(5).fill(1),
  histograms: {},
};
const measures: MeasureSpec[] = [
  { name: 'amount', label: 'Amount', format: 'currency', agg: 'sum', column: 'amount' },
  { name: 'tickets', label: 'Tickets', format: 'integer', agg: 'countDistinct', column: 'ticket' },
  { name: 'customers', label: 'Customers', format: 'integer', agg: 'countDistinct', column: 'customer' },
  { name: 'per_ticket', label: 'Per ticket', format: 'currency', agg: 'ratio', numerator: 'amount', denominator: 'tickets' },
  { name: 'rows', label: 'Rows', format: 'integer', agg: 'count' },
];
const spec: EngineSpec = {
  measures,
  dimensions: [{ name: 'time', label: 'Time', levels: [{ name: 'year', label: 'Year', column: 'year' }] }],
  defaultFilter: { column: 'status', exclude: ['Cancelled'], label: 'Cancelled excluded' },
};
const rows = (s: Partial<FilterState>) => [...matchingRows(table, spec, { ...emptyState(), ...s })];

describe('matchingRows', () => {
  it.each<[string, Partial<FilterState>, number[]]>([
    ['the default filter', {}, [0, 1, 2, 3]],
    ['chosen statuses replace it', { members: { status: ['Cancelled'] } }, [4]],
    ['an empty list keeps nothing', { members: { customer: [] } }, []],
    ['an unknown member keeps nothing', { members: { customer: ['Eve'] } }, []],
    ['a drill into a numeric level', { drill: { time: ['2004'] } }, [2, 3]],
    ['a drill into a year without rows', { drill: { time: ['2002'] } }, []],
    ['a drill member that is not a number', { drill: { time: ['last year'] } }, []],
    ['a date range, both ends inclusive', { from: '2003-06-30', to: '2004-02-29' }, [1, 2, 3]],
    ['an inverted date range', { from: '2004-01-01', to: '2003-01-01' }, []],
  ])('%s', (_name, s, expected) => expect(rows(s)).toEqual(expected));

  it('refuses a default filter on a column the data does not have, rather than ignore it', () => {
    const wrong: EngineSpec = { ...spec, defaultFilter: { column: 'state', exclude: ['x'], label: 'x' } };
    expect(() => matchingRows(table, wrong, emptyState())).toThrow(/no such column/);
  });
});

describe('measures skip missing values, as SQL does', () => {
  it('in total', () => {
    expect(totals(table, [0, 1, 2, 3, 4], measures)).toEqual({ amount: 12.1, tickets: 3, customers: 2, per_ticket: 4.03, rows: 5 });
    expect(totals(table, [2], measures)).toEqual({ amount: 3.3, tickets: 0, customers: 0, per_ticket: null, rows: 1 });
  });
  it('by a numeric column', () => {
    expect(groupBy(table, [0, 1, 2, 3], ['year'], measures)).toEqual([
      { keys: ['2003'], figures: { amount: 3.3, tickets: 1, customers: 2, per_ticket: 3.3, rows: 2 } },
      { keys: ['2004'], figures: { amount: 3.3, tickets: 1, customers: 1, per_ticket: 3.3, rows: 2 } },
    ]);
  });
});
