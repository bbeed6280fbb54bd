/** The Drivers page's growth table: a change in percent of the size of where it started, so a fall reads as one. */
import { describe, expect, it } from 'vitest';
import type { MeasureSpec } from '../../src/lib/contract/declaration.ts';
import { growthTable } from '../../src/lib/drivers-table.ts';

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
