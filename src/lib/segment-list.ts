/**
 * The Segments page's list of customers: those of a segment (or all), matching a search, largest value first as
 * customer-segments.json lists them, a page at a time. The page draws the first page at build time, the browser every
 * other with these functions. Pure.
 */
import type { CustomerScore } from './contract/analysis.ts';
import type { MeasureSpec } from './contract/declaration.ts';
import { formatInteger, formatMeasure } from './format.ts';
import type { TextTable } from './text-table.ts';

export const PAGE_SIZE = 25;

export interface CustomerQuery {
  /** Null: every segment. */
  segment: string | null;
  search: string;
  page: number;
}

export const everyCustomer: CustomerQuery = { segment: null, search: '', page: 0 };

/** The query in the URL (segment=, q=, page= counted from 1), and back; unknown segments are dropped. */
export function parseQuery(params: URLSearchParams, segments: string[]): CustomerQuery {
  const segment = params.get('segment');
  const page = Number(params.get('page') ?? 1);
  return { segment: segment && segments.includes(segment) ? segment : null, search: params.get('q') ?? '', page: Number.isInteger(page) && page > 1 ? page - 1 : 0 };
}
export function serializeQuery(query: CustomerQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.segment) params.set('segment', query.segment);
  if (query.search) params.set('q', query.search);
  if (query.page) params.set('page', String(query.page + 1));
  return params;
}

/** The customers the query keeps, in the file's order; the search matches any part of a name, in any case. */
export function customersShown(customers: CustomerScore[], query: Pick<CustomerQuery, 'segment' | 'search'>): CustomerScore[] {
  const search = query.search.trim().toLowerCase();
  return customers.filter((c) => (!query.segment || c.segment === query.segment) && (!search || c.customer.toLowerCase().includes(search)));
}

/** One page of them, as text. */
export function customerTable(customers: CustomerScore[], page: number, measure: MeasureSpec): TextTable {
  return {
    head: ['Customer', 'Segment', 'Last order', 'Days since', 'Orders', measure.label, 'R F M'],
    numeric: [false, false, true, true, true, true, true],
    rows: customers
      .slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)
      .map((c) => [c.customer, c.segment, c.last_order, formatInteger(c.recency_days), formatInteger(c.frequency), formatMeasure(measure, c.monetary), `${c.r} ${c.f} ${c.m}`]),
  };
}

export const pageCount = (customers: number) => Math.max(1, Math.ceil(customers / PAGE_SIZE));

/** Every customer the query keeps, every column as customer_segments has it: the CSV of this view. */
export function customersCsv(customers: CustomerScore[]): { header: string[]; rows: (string | number)[][] } {
  const header = ['customer', 'segment', 'last_order', 'recency_days', 'frequency', 'monetary', 'r', 'f', 'm'] as const;
  return { header: [...header], rows: customers.map((c) => header.map((h) => c[h])) };
}
