import { describe, expect, it } from 'vitest';
import { emptyState, parseState, serializeState, setDrill, toggleMember, type FilterState } from '../../src/lib/filter-state.ts';

const COLUMNS = ['product_line', 'territory', 'country', 'status', 'deal_size', 'customer_name', 'city'];
const DIMENSIONS = ['time', 'geography', 'product', 'customer'];
const state = (s: Partial<FilterState>): FilterState => ({ ...emptyState(), ...s });
const parse = (query: string) => parseState(new URLSearchParams(query), COLUMNS, DIMENSIONS);
/** Through the address bar: serialised, written as text, read back. */
const roundTrip = (s: FilterState) => parse(serializeState(s).toString());

describe('parseState ∘ serializeState is the identity', () => {
  describe.each<[string, FilterState]>([
    ['the empty state', emptyState()],
    ['a closed date range', state({ from: '2004-01-01', to: '2004-12-31' })],
    ['open-ended ranges', state({ from: '2004-02-29', to: null })],
    ['open at the start', state({ from: null, to: '2005-05-31' })],
    ['several members', state({ members: { territory: ['EMEA', 'NA'], status: ['Cancelled', 'Shipped'] } })],
    ['an explicit empty list (nothing matches)', state({ members: { country: [] } })],
    ['commas and ampersands', state({ members: { customer_name: ['Mini Gifts Distributors, Ltd.', 'AV Stores, Co.', 'Tom & Jerry'] } })],
    ['equals, plus, percent, hash and question marks', state({ members: { customer_name: ['a=b', '1+1', '100%', '#1', 'why?'] } })],
    ['unicode', state({ members: { city: ['Liège', 'Bergamo', 'Århus', '東京', 'Zürich 🚗'] } })],
    ['markup', state({ members: { customer_name: ['<script>alert(1)</script>', '"quoted" \'single\''] } })],
    ['drill paths', state({ drill: { product: ['Classic Cars', 'S10_1949'], geography: ['EMEA'], time: ['2004'] } })],
    ['everything at once', state({ from: '2003-06-01', members: { deal_size: ['Small'], customer_name: ['Tom & Jerry, <b>Inc</b>'] }, drill: { customer: ['Tom & Jerry'] } })],
  ])('%s', (_name, s) => {
    it('survives the URL', () => expect(roundTrip(s)).toEqual(s));
    it('serialises equal states to equal URLs, whatever the key order', () => {
      const reordered: FilterState = {
        ...s,
        members: Object.fromEntries(Object.entries(s.members).reverse()),
        drill: Object.fromEntries(Object.entries(s.drill).reverse()),
      };
      expect(serializeState(reordered).toString()).toBe(serializeState(s).toString());
    });
  });
});

describe('parseState', () => {
  it.each<[string, string, FilterState]>([
    ['an empty query', '', emptyState()],
    ['a column given only empty (every member unticked)', 'status=', state({ members: { status: [] } })],
    ['repeated members once', 'territory=NA&territory=EMEA&territory=NA', state({ members: { territory: ['NA', 'EMEA'] } })],
    ['unknown columns and dimensions dropped', 'colour=red&drill.colour=red&territory=NA', state({ members: { territory: ['NA'] } })],
    ['malformed dates dropped', 'from=2004-1-1&to=yesterday', emptyState()],
    ['encoded separators kept in the member', 'customer_name=Tom%20%26%20Jerry%2C%20Inc', state({ members: { customer_name: ['Tom & Jerry, Inc'] } })],
    ['a plus as a space', 'customer_name=Tom+%26+Jerry', state({ members: { customer_name: ['Tom & Jerry'] } })],
    ['empty drill members dropped', 'drill.product=&drill.geography=EMEA', state({ drill: { geography: ['EMEA'] } })],
  ])('%s: %j', (_name, query, expected) => {
    expect(parse(query)).toEqual(expected);
  });
});

describe('toggleMember', () => {
  it.each<[string, FilterState, string, string, FilterState]>([
    ['adds to an unfiltered column', emptyState(), 'country', 'France', state({ members: { country: ['France'] } })],
    ['adds to a list', state({ members: { country: ['France'] } }), 'country', 'Spain', state({ members: { country: ['France', 'Spain'] } })],
    ['removes from a list', state({ members: { country: ['France', 'Spain'] } }), 'country', 'France', state({ members: { country: ['Spain'] } })],
    ['lifts the filter with the last member', state({ members: { country: ['France'] } }), 'country', 'France', emptyState()],
    ['fills an explicit empty list', state({ members: { status: [] } }), 'status', 'Cancelled', state({ members: { status: ['Cancelled'] } })],
    ['leaves other columns alone', state({ members: { status: ['Shipped'] }, from: '2004-01-01' }), 'country', 'USA', state({ members: { status: ['Shipped'], country: ['USA'] }, from: '2004-01-01' })],
    ['matches members exactly', state({ members: { customer_name: ['Tom & Jerry'] } }), 'customer_name', 'tom & jerry', state({ members: { customer_name: ['Tom & Jerry', 'tom & jerry'] } })],
  ])('%s', (_name, before, column, member, after) => {
    const copy = structuredClone(before);
    expect(toggleMember(before, column, member)).toEqual(after);
    expect(before).toEqual(copy); // never mutates
  });
});

describe('setDrill', () => {
  it.each<[string, FilterState, string, string[], FilterState]>([
    ['starts a path', emptyState(), 'product', ['Classic Cars'], state({ drill: { product: ['Classic Cars'] } })],
    ['goes deeper', state({ drill: { product: ['Classic Cars'] } }), 'product', ['Classic Cars', 'S10_1949'], state({ drill: { product: ['Classic Cars', 'S10_1949'] } })],
    ['goes back up', state({ drill: { geography: ['EMEA', 'France'] } }), 'geography', ['EMEA'], state({ drill: { geography: ['EMEA'] } })],
    ['clears with an empty path', state({ drill: { geography: ['EMEA'], product: ['Ships'] } }), 'geography', [], state({ drill: { product: ['Ships'] } })],
    ['keeps members and dates', state({ from: '2004-01-01', members: { status: [] } }), 'time', ['2004'], state({ from: '2004-01-01', members: { status: [] }, drill: { time: ['2004'] } })],
  ])('%s', (_name, before, dimension, path, after) => {
    const copy = structuredClone(before);
    expect(setDrill(before, dimension, path)).toEqual(after);
    expect(before).toEqual(copy);
  });
});
