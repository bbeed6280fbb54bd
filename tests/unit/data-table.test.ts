/** A chart's data table reads the same from the page and from the browser: one function gives its text. */
import { expect, it } from 'vitest';
import { dataTable } from '../../src/lib/charts/data-table.ts';
import type { ChartDef } from '../../src/lib/charts/definitions.ts';
import type { MeasureSpec } from '../../src/lib/contract/declaration.ts';

const revenue: MeasureSpec = { name: 'revenue', label: 'Revenue', format: 'currency', agg: 'sum', column: 'sales' };

it('names periods as people read them, members as stored, and gives the figures to the cent', () => {
  const trend: ChartDef = { kind: 'trend', id: 't', title: 'Revenue over time', measure: 'revenue', grain: 'month', grains: ['month'] };
  expect(dataTable(trend, { rows: [{ key: '2004-03', value: 1234.5 }, { key: '2004-04', value: null }] }, revenue)).toEqual({
    heading: { key: 'Period', value: 'Revenue' },
    rows: [{ key: 'Mar 2004', value: '$1,234.50' }, { key: 'Apr 2004', value: '–' }],
  });
  const bars: ChartDef = { kind: 'bars', id: 'b', title: 'By line', measure: 'revenue', column: 'product_line' };
  expect(dataTable(bars, { rows: [{ key: '2004-03', value: 1 }] }, revenue).rows[0]!.key).toBe('2004-03');
});

it('heads a drill chart with the level it shows', () => {
  const drill: ChartDef = { kind: 'drill', id: 'd', title: 'By product', measure: 'revenue', dimension: 'product' };
  const level = { column: 'product_code', label: 'Product', depth: 1, path: ['Ships'], last: true };
  expect(dataTable(drill, { rows: [], level }, revenue).heading).toEqual({ key: 'Product', value: 'Revenue' });
});
