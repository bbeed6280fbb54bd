/**
 * The pivot as an HTML table, built with whatever document it is given (linkedom at build time, the page in
 * the browser), so both render the same markup. Row headers carry expand/collapse buttons and the sort
 * buttons sit in the column headers; a click handler finds them by their data attributes.
 */
import type { MeasureSpec } from './contract/declaration.ts';
import { formatMeasure } from './format.ts';
import { periodLabel } from './periods.ts';
import type { Pivot, PivotSpec } from './pivot.ts';

export function renderPivotTable(p: Pivot, spec: PivotSpec, measure: MeasureSpec, document: Document, periods: { rows: boolean; columns: boolean }): HTMLTableElement {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  };
  // Body cells skip el()'s attribute object: a pivot of a few hundred members has thousands of them.
  const cell = (className: string, text: string) => {
    const td = document.createElement('td');
    td.className = className;
    td.textContent = text;
    return td;
  };
  const fmt = (v: number | null | undefined) => formatMeasure(measure, v ?? null, true);
  const rowLabel = (m: string) => (periods.rows ? periodLabel(m) : m);
  const columnLabel = (m: string) => (periods.columns ? periodLabel(m) : m);
  const sortState = (by: 'label' | 'value', column: string) =>
    spec.sort.by === by && (by === 'label' || spec.sort.column === column) ? (spec.sort.descending ? 'descending' : 'ascending') : null;
  const sortHeader = (text: string, by: 'label' | 'value', column: string, numeric: boolean) => {
    const th = el('th', { scope: 'col', ...(numeric ? { class: 'num' } : {}) }, el('button', { type: 'button', 'data-sort': by, 'data-sort-column': column }, text));
    const state = sortState(by, column);
    if (state) th.setAttribute('aria-sort', state);
    return th;
  };

  const headerLabel = p.rowLevels.map((l) => l.label).join(' › ');
  const head = el('tr', {}, sortHeader(headerLabel, 'label', '', false), ...p.columns.map((c) => sortHeader(columnLabel(c), 'value', c, true)), sortHeader('Total', 'value', '', true));
  const body = p.rows.map((r) => {
    const name = r.path.at(-1)!;
    const toggle = r.expandable
      ? el('button', { type: 'button', class: 'toggle', 'data-expand': JSON.stringify(r.path), 'aria-expanded': String(r.expanded), 'aria-label': `${r.expanded ? 'Collapse' : 'Expand'} ${name}` }, r.expanded ? '▾' : '▸')
      : el('span', { class: 'toggle', 'aria-hidden': 'true' }, '');
    const header = el('th', { scope: 'row', class: `depth-${r.depth}`, 'data-depth': String(r.depth) }, toggle, ' ', rowLabel(name));
    const tr = el('tr', { 'data-path': JSON.stringify(r.path) }, header);
    for (const c of p.columns) tr.append(cell('num', fmt(r.cells[c])));
    tr.append(cell('num total', fmt(r.total)));
    return tr;
  });
  const foot = el('tr', {}, el('th', { scope: 'row' }, 'Total'), ...p.columns.map((c) => cell('num', fmt(p.columnTotals[c]))), cell('num total', fmt(p.total)));
  const caption = el('caption', { class: 'visually-hidden' }, `${measure.label} by ${headerLabel}${p.columnLevel ? ` and ${p.columnLevel.label}` : ''}`);
  return el('table', { class: 'pivot', 'data-pivot-table': '' }, caption, el('thead', {}, head), el('tbody', {}, ...body), el('tfoot', {}, foot));
}
