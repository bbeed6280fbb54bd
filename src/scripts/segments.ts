/**
 * The Segments page's list of customers in the browser: a segment, a search and a page, kept in the URL; every
 * customer is read from customer-segments.json when a choice first needs it. The view downloads as CSV, the segment
 * as Parquet (a file per segment, written by the pipeline).
 */
import type { CustomerScore, SegmentsFile } from '../lib/contract/analysis.ts';
import type { MeasureSpec } from '../lib/contract/declaration.ts';
import { formatInteger } from '../lib/format.ts';
import { customersCsv, customersShown, customerTable, everyCustomer, pageCount, parseQuery, serializeQuery, type CustomerQuery } from '../lib/segment-list.ts';
import { downloadText } from './download.ts';
import { fillTable } from './text-table.ts';

declare global {
  interface Window {
    /** The customers the list keeps (every page), as last shown: tests compare them with the database. */
    customerList?: { query: CustomerQuery; customers: string[] };
  }
}

export function startCustomerList(): void {
  const root = document.querySelector<HTMLElement>('[data-customer-list]');
  if (!root) return;
  const form = root.querySelector<HTMLFormElement>('[data-customer-query]')!;
  const segment = form.querySelector<HTMLSelectElement>('[name=segment]')!;
  const search = form.querySelector<HTMLInputElement>('[name=q]')!;
  const parquet = form.querySelector<HTMLAnchorElement>('[data-parquet]')!;
  const [prev, next] = [root.querySelector<HTMLButtonElement>('[data-prev]')!, root.querySelector<HTMLButtonElement>('[data-next]')!];
  // Each segment's Parquet file, and the measure the customers are ranked by.
  const files = JSON.parse(root.dataset.segmentFiles!) as Record<string, string>;
  const segments = Object.keys(files);
  const measure = JSON.parse(root.dataset.measure!) as MeasureSpec;
  const everyParquet = parquet.getAttribute('href')!;
  let file: Promise<SegmentsFile> | undefined;
  let query = parseQuery(new URLSearchParams(location.search), segments);
  let shown: CustomerScore[] = [];

  const show = async () => {
    [segment.value, search.value] = [query.segment ?? '', query.search];
    parquet.href = query.segment ? files[query.segment]! : everyParquet;
    // Read once, when a choice first needs it; a failed read is tried again at the next choice.
    file ??= fetch(root.dataset.customerList!).then((r) => (r.ok ? (r.json() as Promise<SegmentsFile>) : Promise.reject(new Error(`${r.status}`))));
    const data = await file.catch((error: unknown) => {
      file = undefined;
      root.querySelector('[data-count]')!.textContent = `The customers could not be loaded (${String(error)}).`;
      return undefined;
    });
    if (!data) return;
    shown = customersShown(data.customers, query);
    const pages = pageCount(shown.length);
    query = { ...query, page: Math.min(query.page, pages - 1) };
    fillTable(root.querySelector<HTMLTableElement>('[data-customers]')!, customerTable(shown, query.page, measure));
    root.querySelector<HTMLElement>('[data-empty]')!.hidden = shown.length > 0;
    root.querySelector('[data-count]')!.textContent = `${formatInteger(shown.length)} customers`;
    root.querySelector('[data-page]')!.textContent = `Page ${formatInteger(query.page + 1)} of ${formatInteger(pages)}`;
    prev.disabled = query.page === 0;
    next.disabled = query.page >= pages - 1;
    window.customerList = { query, customers: shown.map((c) => c.customer) };
  };
  const change = (next: CustomerQuery) => {
    query = next;
    const params = serializeQuery(query).toString();
    history.replaceState(null, '', params ? `?${params}` : location.pathname);
    void show();
  };

  form.addEventListener('input', () => change({ segment: segment.value || null, search: search.value, page: 0 }));
  prev.addEventListener('click', () => change({ ...query, page: query.page - 1 }));
  next.addEventListener('click', () => change({ ...query, page: query.page + 1 }));
  root.querySelector('[data-download]')!.addEventListener('click', async () => {
    await show();
    const { toCsv } = await import('../lib/csv.ts');
    const { header, rows } = customersCsv(shown);
    downloadText(`customers${query.segment ? `-${query.segment.replaceAll(' ', '-')}` : ''}${query.search ? '-search' : ''}.csv`, toCsv(header, rows));
  });
  // A shared link's choices are drawn at once; the build drew every customer's first page.
  if (serializeQuery(query).toString() !== serializeQuery(everyCustomer).toString()) void show();
}
