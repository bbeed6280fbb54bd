/** The Drivers page's growth table: a change in percent of the size of where it started, so a fall reads as one. */
import { describe, expect, it } from 'vitest';
import type { MeasureSpec } from '../../src/lib/contract/declaration.ts';
import type { Breakdown } from '../../src/lib/contributions.ts';
import { breakdownTable, growthTable } from '../../src/lib/drivers-table.ts';

const spread: MeasureSpec = { name: 'spread', label: 'Price − MMR', format: 'currency', agg: 'sum', column: 'spread' };
const periods = { before: '2014', after: '2015' };

describe('growth table', () => {
  it('gives a fall from a negative figure as a fall, and a rise as a rise', () => {
    const { rows } = growthTable({ spread: [-500, -938, -438] }, [spread], periods);
    expect(rows[0]!.at(-1)).toBe('-87.6%');
    expect(growthTable({ spread: [-500, -250, 250] }, [spread], periods).rows[0]!.at(-1)).toBe('+50.0%');
    expect(growthTable({ spread: [400, 500, 100] }, [spread], periods).rows[0]!.at(-1)).toBe('+25.0%');
  });

  it('gives no percent from nothing', () => {
    expect(growthTable({ spread: [0, 500, 500] }, [spread], periods).rows[0]!.at(-1)).toBe('–');
  });
});

describe('breakdown table', () => {
  const revenue: MeasureSpec = { name: 'revenue', label: 'Revenue', format: 'currency', agg: 'sum', column: 'sales' };
  const units: MeasureSpec = { name: 'units', label: 'Units', format: 'integer', agg: 'sum', column: 'quantity' };
  const aov: MeasureSpec = { name: 'aov', label: 'AOV', format: 'currency', agg: 'ratio', numerator: 'revenue', denominator: 'units' };
  // Listed by the primary measure's change (revenue): A, B, C.
  const by: Breakdown = {
    column: 'line',
    members: [
      { member: 'A', values: { revenue: [0, 300, 300], units: [0, 1, 1] } },
      { member: 'B', values: { revenue: [0, 200, 200], units: [0, 9, 9] } },
      { member: 'C', values: { revenue: [0, 100, 100], units: [0, 5, 5] } },
    ],
    ratios: { aov: { exact: true, effects: [{ mix: 1, rate: 2 }, { mix: 3, rate: 4 }, { mix: 5, rate: 6 }] } },
  };

  it('lists the largest changes of the measure picked, each member with its own mix and rate', () => {
    expect(breakdownTable(by, revenue, [aov], 'Line', periods).rows.map((r) => [r[0], r[4]])).toEqual([['A', '+$1'], ['B', '+$3'], ['C', '+$5']]);
    expect(breakdownTable(by, units, [aov], 'Line', periods, 2).rows.map((r) => [r[0], r[3], r[4], r[5]])).toEqual([['B', '+9', '+$3', '+$4'], ['C', '+5', '+$5', '+$6']]);
  });
});
