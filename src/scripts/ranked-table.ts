/** Ranked tables in the browser: recomputed for every filter state, re-ranked when the viewer picks a measure. */
import type { FactTable } from '../lib/fact-table.ts';
import { formatMeasure } from '../lib/format.ts';
import type { EngineSpec } from '../lib/query.ts';
import { rankedRows, type RankedRow, type RankedTableDef } from '../lib/ranked-table.ts';
import { addView, drawNow } from './dashboard.ts';
import { redraw } from './width.ts';

declare global {
  interface Window {
    /** Each ranked table's rows as last shown, by id: tests compare them with the database. */
    rankedTables?: Record<string, RankedRow[]>;
  }
}

export function startRankedTables(): void {
  const spec = JSON.parse(document.querySelector<HTMLElement>('[data-dashboard]')?.dataset.spec ?? 'null') as EngineSpec | null;
  if (!spec) return;
  // Tables ranked at build time from a slice (of a column the cells leave out): the choice shows the body ranked by
  // that measure.
  for (const root of document.querySelectorAll<HTMLElement>('[data-ranked-static]')) {
    const select = root.querySelector<HTMLSelectElement>('[data-rank-by]');
    select?.addEventListener('change', () => {
      for (const body of root.querySelectorAll<HTMLElement>('[data-rank]')) body.hidden = body.dataset.rank !== select.value;
    });
  }
  for (const root of document.querySelectorAll<HTMLElement>('[data-ranked]')) {
    const def = JSON.parse(root.dataset.ranked!) as RankedTableDef;
    const body = root.querySelector<HTMLElement>('[data-ranked-body]')!;
    const empty = root.querySelector<HTMLElement>('[data-empty]')!;
    const select = root.querySelector<HTMLSelectElement>('[data-rank-by]')!;
    const measures = def.measures.map((name) => spec.measures.find((m) => m.name === name)!);
    let last: { table: FactTable; rows: Uint32Array } | undefined;
    const show = () => {
      if (!last) return;
      const ranked = rankedRows(last.table, last.rows, spec, def, select.value);
      window.rankedTables = { ...window.rankedTables, [def.id]: ranked };
      empty.hidden = ranked.length > 0;
      body.replaceChildren(
        ...ranked.map((r, i) => {
          const tr = document.createElement('tr');
          const rank = Object.assign(document.createElement('td'), { className: 'num', textContent: String(i + 1) });
          const member = Object.assign(document.createElement('th'), { scope: 'row', textContent: r.key });
          tr.append(rank, member, ...measures.map((m) => Object.assign(document.createElement('td'), { className: 'num', textContent: formatMeasure(m, r.figures[m.name] ?? null) })));
          return tr;
        }),
      );
    };
    select.addEventListener('change', () => {
      // Ranked for the current filters: a redraw still waiting (the table was off screen) runs first; a table not yet
      // computed asks for the page's cells.
      drawNow(root);
      if (last) show();
      else redraw(root);
    });
    addView({
      element: root,
      render(table, rows) {
        last = { table, rows };
        show();
      },
    });
  }
}
