import { describe, expect, it } from 'vitest';
import { cellsSource, countedAcross, type DetailSource } from '../../src/lib/cells-source.ts';
import type { FactTable } from '../../src/lib/fact-table.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';

const page = { files: [{ path: 'pages/overview-0.arrow', gzip: 100 }], columns: ['make'], wanted: ['make'] };
const dimensions = [
  { name: 'vehicle', levels: [{ column: 'make' }, { column: 'model' }, { column: 'trim' }] },
  { name: 'body', levels: [{ column: 'body' }] },
];
const file = (path: string, gzip = 10) => ({ path, gzip });
const body: DetailSource = { column: 'body', columns: ['make', 'body', 'region'], spans: [], counts: [], members: { SUV: file('by-body/0', 30), Sedan: file('by-body/1', 20), Van: file('by-body/2', 5) } };
const make: DetailSource = { column: 'make', columns: ['make', 'model'], spans: [], counts: [], members: { Ford: file('by-make/0'), Kia: file('by-make/1') } };
const region: DetailSource = { column: 'region', columns: ['make', 'region'], spans: ['order'], counts: [], members: { West: file('by-region/0'), South: file('by-region/1') } };
const state = (members: FilterState['members']): FilterState => ({ ...emptyState(), members });

describe('cellsSource', () => {
  it("uses the page's own cells while no filter names a left-out column", () => {
    expect(cellsSource(state({ make: ['Ford'] }), page, [body, region, make], dimensions)).toEqual({ files: page.files, state: state({ make: ['Ford'] }), dropped: [] });
  });

  it("fetches the kept members' files of the filtered column's detail, the state unchanged", () => {
    const s = state({ make: ['Ford'], body: ['Van', 'SUV', 'Coupe'] });
    const source = cellsSource(s, page, [body, region], dimensions);
    // Coupe has no rows, so no file: it keeps nothing.
    expect(source.files).toEqual([body.members.Van, body.members.SUV]);
    expect(source.detail).toBe(body);
    expect(source.state).toEqual(s);
  });

  it('prefers a detail that has every other filtered left-out column', () => {
    const source = cellsSource(state({ region: ['West'], body: ['SUV'] }), page, [region, body], dimensions);
    expect(source.detail).toBe(body);
    expect(source.dropped).toEqual([]);
  });

  it("drops a filter no detail can combine with the first one's, and says which", () => {
    const wide: DetailSource = { ...body, columns: ['make', 'body'] };
    const source = cellsSource(state({ region: ['West'], body: ['SUV'] }), page, [wide, region], dimensions);
    expect(source.detail).toBe(wide);
    expect(source.dropped).toEqual(['region']);
    expect(source.state.members).toEqual({ body: ['SUV'] });
  });

  it("a drill into a member fetches the detail of the drilled level's column, which has the level it shows", () => {
    const drilled: FilterState = { ...emptyState(), drill: { vehicle: ['Kia'] } };
    const source = cellsSource(drilled, page, [body, make], dimensions);
    expect(source.detail).toBe(make);
    expect(source.files).toEqual([make.members.Kia]);
    expect(source.state).toEqual(drilled);
    // The page's cells show the makes themselves: no fetch for the top of the drill.
    expect(cellsSource(emptyState(), page, [make], dimensions).files).toEqual(page.files);
  });

  it('a drill no detail reaches is cut to what the cells show; a filter the drill\'s detail lacks is dropped', () => {
    const deep: FilterState = { ...emptyState(), drill: { vehicle: ['Kia', 'Soul'] }, members: { body: ['SUV'] } };
    // Trims are in no detail: the drill is cut to what the page's cells show (the makes), and so is the filter.
    const cut = cellsSource(deep, page, [body, make], dimensions);
    expect([cut.files, cut.state.drill, cut.dropped]).toEqual([page.files, {}, ['body']]);
    const noMake = cellsSource({ ...deep, members: {} }, page, [body], dimensions);
    expect(noMake.files).toEqual(page.files);
    expect(noMake.state.drill).toEqual({});
    // A drill into Kia with a body filter: the make detail has no body column, so the body filter is dropped.
    const both = cellsSource({ ...deep, drill: { vehicle: ['Kia'] } }, page, [body, make], dimensions);
    expect(both.detail).toBe(make);
    expect(both.dropped).toEqual(['body']);
  });

  it('a filter keeping one member of a column whose detail counts orders exactly uses that detail; two use the page\'s cells', () => {
    const line: DetailSource = { column: 'make', columns: ['make', 'model'], spans: ['order'], counts: ['order'], members: make.members };
    expect(cellsSource(state({ make: ['Kia'] }), page, [line], dimensions).files).toEqual([make.members.Kia]);
    expect(cellsSource(state({ make: ['Kia', 'Ford'] }), page, [line], dimensions).files).toEqual(page.files);
    // A drill into one make is a filter on it too.
    expect(cellsSource({ ...emptyState(), drill: { vehicle: ['Ford'] } }, { ...page, columns: ['make', 'model'], wanted: ['make', 'model'] }, [line], dimensions).files).toEqual([make.members.Ford]);
  });

  it("reads a detail's lean files when the page shows none of the columns only the full files have, nor drills into one", () => {
    const lean = { SUV: file('by-body/lean-0'), Sedan: file('by-body/lean-1') };
    const byBody: DetailSource = { ...body, columns: ['make', 'body', 'model'], lean: { columns: ['make', 'body'], members: lean } };
    const suv = state({ body: ['SUV'] });
    expect(cellsSource(suv, { ...page, wanted: ['make', 'body'] }, [byBody], dimensions).files).toEqual([lean.SUV]);
    // A page showing models (left out of its cells), or a drill into a make (which shows its models): the full files.
    expect(cellsSource(suv, { ...page, wanted: ['make', 'model'] }, [byBody], dimensions).files).toEqual([body.members.SUV]);
    expect(cellsSource({ ...suv, drill: { vehicle: ['Ford'] } }, { ...page, wanted: ['make', 'body'] }, [byBody], dimensions).files).toEqual([body.members.SUV]);
  });

  it('with no member kept, reads the smallest file (to show nothing from)', () => {
    expect(cellsSource(state({ body: [] }), page, [body], dimensions).files).toEqual([body.members.Van]);
  });
});

describe('countedAcross', () => {
  const table = { exactBy: { order: ['customer', 'region'], customer: ['region'] } } as unknown as FactTable;
  it('takes the split column from what a spanning column is exact under, and only that', () => {
    expect(countedAcross(table, region).exactBy).toEqual({ order: ['customer'], customer: ['region'] });
    expect(countedAcross(table, { ...region, spans: [] })).toBe(table);
  });
});
