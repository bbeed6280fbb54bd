/** Fills a table from its text (src/lib/text-table.ts), as TextTable.astro draws it at build time. */
import { isNumeric, type TextTable } from '../lib/text-table.ts';

export function fillTable(table: HTMLTableElement, text: TextTable): void {
  const cell = (tag: 'th' | 'td', content: string, numeric: boolean, scope?: string) =>
    Object.assign(document.createElement(tag), { textContent: content, ...(numeric ? { className: 'num' } : {}), ...(scope ? { scope } : {}) });
  const head = document.createElement('tr');
  head.append(...text.head.map((h, i) => cell('th', h, isNumeric(text, i), 'col')));
  table.tHead!.replaceChildren(head);
  table.tBodies[0]!.replaceChildren(
    ...text.rows.map(([name, ...cells], i) => {
      const row = document.createElement('tr');
      for (const [key, value] of Object.entries(text.rowData?.[i] ?? {})) row.setAttribute(key, value);
      row.append(cell('th', name!, false, 'row'), ...cells.map((c, j) => cell('td', c, isNumeric(text, j + 1))));
      return row;
    }),
  );
}
