/** The records table in the browser: follows the filters, and adds search, sort, paging and CSV download. */
import { recordValue, rollUp, search, sortRecords, type RecordRow, type SortKey } from '../lib/records.ts';
import { cellText, type RecordsTableSpec } from '../lib/records-view.ts';
import { addView, cellsLoaded, drawNow } from './dashboard.ts';
import { redraw } from './width.ts';
import { downloadText } from './download.ts';

export function startRecordsTable(): void {
  const root = document.querySelector<HTMLElement>('[data-records]');
  if (!root) return;
  const spec = JSON.parse(root.dataset.records!) as RecordsTableSpec;
  const body = root.querySelector<HTMLElement>('[data-records-body]')!;
  const input = root.querySelector<HTMLInputElement>('[data-search]')!;
  const count = root.querySelector<HTMLElement>('[data-count]')!;
  const empty = root.querySelector<HTMLElement>('[data-empty]')!;
  const [prev, next] = [root.querySelector<HTMLButtonElement>('[data-prev]')!, root.querySelector<HTMLButtonElement>('[data-next]')!];
  const pageLabel = root.querySelector<HTMLElement>('[data-page]')!;
  const headers = [...root.querySelectorAll<HTMLElement>('th[data-sort-key]')];
  // Until the page's cells are loaded, the table is the one drawn at build time.
  let records: RecordRow[] | undefined;
  let view: RecordRow[] = [];
  let sort = { by: spec.sort.by as SortKey, descending: spec.sort.descending };
  let page = 0;

  const show = () => {
    view = sortRecords(search(records ?? [], input.value), sort.by, sort.descending);
    const pages = Math.max(1, Math.ceil(view.length / spec.pageSize));
    page = Math.min(page, pages - 1);
    body.replaceChildren(
      ...view.slice(page * spec.pageSize, (page + 1) * spec.pageSize).map((r) => {
        const tr = document.createElement('tr');
        for (const c of spec.columns) {
          const td = Object.assign(document.createElement('td'), { className: c.format === 'text' ? '' : 'num' });
          const href = c.value === 'key' ? spec.links?.[String(r.key)] : undefined;
          td.append(href ? Object.assign(document.createElement('a'), { href, textContent: cellText(r, c, spec.currency) }) : cellText(r, c, spec.currency));
          tr.append(td);
        }
        return tr;
      }),
    );
    count.textContent = `${view.length.toLocaleString('en-US')} records`;
    empty.hidden = view.length > 0;
    pageLabel.textContent = `Page ${page + 1} of ${pages}`;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    for (const th of headers) {
      if (th.dataset.sortKey === sort.by) th.setAttribute('aria-sort', sort.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
  };

  addView({
    element: root,
    render(table, rows) {
      records = rollUp(table, rows, spec.records);
      show();
    },
  });
  // The table's own controls act on the current filters: a redraw still waiting (it was off screen) runs first, and
  // a table not yet computed asks for the cells, then shows the choice.
  const control = (change: () => void) => () => {
    drawNow(root);
    change();
    if (records) show();
    else redraw(root);
  };
  input.addEventListener('input', control(() => (page = 0)));
  prev.addEventListener('click', control(() => page--));
  next.addEventListener('click', control(() => page++));
  for (const th of headers) {
    th.querySelector('button')!.addEventListener(
      'click',
      control(() => {
        const by = th.dataset.sortKey as SortKey;
        sort = { by, descending: sort.by === by ? !sort.descending : by !== 'key' && !by.startsWith('text.') };
      }),
    );
  }
  root.querySelector('[data-download]')!.addEventListener('click', async () => {
    await cellsLoaded();
    drawNow(root);
    // The CSV writer is loaded when first asked for: most visits download nothing.
    const { toCsv } = await import('../lib/csv.ts');
    const csv = toCsv(
      spec.columns.map((c) => c.label),
      view.map((r) => spec.columns.map((c) => recordValue(r, c.value as SortKey))),
    );
    downloadText(`${spec.download}.csv`, csv);
  });
}
