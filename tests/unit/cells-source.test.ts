import { describe, expect, it } from 'vitest';
import { cellsSource, countedAcross, type DetailSource } from '../../src/lib/cells-source.ts';
import type { FactTable } from '../../src/lib/fact-table.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';

const page = [{ path: 'pages/overview-0.arrow', gzip: 100 }];
const file = (path: string, gzip = 10) => ({ path, gzip });
const body: DetailSource = { column: 'body', columns: ['make', 'body', 'region'], spans: [], members: { SUV: file('by-body/0', 30), Sedan: file('by-body/1', 20), Van: file('by-body/2', 5) } };
const region: DetailSource = { column: 'region', columns: ['make', 'region'], spans: ['order'], members: { West: file('by-region/0'), South: file('by-region/1') } };
const state = (members: FilterState['members']): FilterState => ({ ...emptyState(), members });

describe('cellsSource', () => {
  it("uses the page's own cells while no filter names a left-out column", () => {
    expect(cellsSource(state({ make: ['Ford'] }), page, [body, region])).toEqual({ files: page, state: state({ make: ['Ford'] }), dropped: [] });
  });

  it("fetches the kept members' files of the filtered column's detail, the state unchanged", () => {
    const s = state({ make: ['Ford'], body: ['Van', 'SUV', 'Coupe'] });
    const source = cellsSource(s, page, [body, region]);
    // Coupe has no rows, so no file: it keeps nothing.
    expect(source.files).toEqual([body.members.Van, body.members.SUV]);
    expect(source.detail).toBe(body);
    expect(source.state).toEqual(s);
  });

  it('prefers a detail that has every other filtered left-out column', () => {
    const source = cellsSource(state({ region: ['West'], body: ['SUV'] }), page, [region, body]);
    expect(source.detail).toBe(body);
    expect(source.dropped).toEqual([]);
  });

  it("drops a filter no detail can combine with the first one's, and says which", () => {
    const wide: DetailSource = { ...body, columns: ['make', 'body'] };
    const source = cellsSource(state({ region: ['West'], body: ['SUV'] }), page, [wide, region]);
    expect(source.detail).toBe(wide);
    expect(source.dropped).toEqual(['region']);
    expect(source.state.members).toEqual({ body: ['SUV'] });
  });

  it('with no member kept, reads the smallest file (to show nothing from)', () => {
    expect(cellsSource(state({ body: [] }), page, [body]).files).toEqual([body.members.Van]);
  });
});

describe('countedAcross', () => {
  const table = { exactBy: { order: ['customer', 'region'], customer: ['region'] } } as unknown as FactTable;
  it('takes the split column from what a spanning column is exact under, and only that', () => {
    expect(countedAcross(table, region).exactBy).toEqual({ order: ['customer'], customer: ['region'] });
    expect(countedAcross(table, { ...region, spans: [] })).toBe(table);
  });
});
