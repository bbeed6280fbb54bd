/** Updates the KPI tiles for a state. */
import { sparklineOptions } from '../lib/charts/plot-options.ts';
import { renderPlot } from '../lib/charts/render.ts';
import type { FactTable } from '../lib/fact-table.ts';
import type { FilterState } from '../lib/filter-state.ts';
import { formatChange, formatMeasure, formatSpan } from '../lib/format.ts';
import { comparisonSpans, kpiTiles } from '../lib/kpi-tiles.ts';
import type { EngineSpec } from '../lib/query.ts';

const direction = (c: number | null) => (c == null ? '' : c > 0 ? 'up' : c < 0 ? 'down' : '');

/** Updates the figures at once and returns the sparklines' redraw, which can wait for idle time. */
export function renderTiles(root: HTMLElement, table: FactTable, spec: EngineSpec & { primaryMeasure?: string }, state: FilterState): () => void {
  const names = root.dataset.measures ? (JSON.parse(root.dataset.measures) as string[]) : undefined;
  const tiles = kpiTiles(table, spec, state, root.dataset.monthColumn!, names);
  const spans = comparisonSpans(state, table);
  for (const tile of tiles) {
    const element = root.querySelector<HTMLElement>(`[data-tile="${tile.measure.name}"]`);
    if (!element) continue;
    const value = element.querySelector<HTMLElement>('[data-value]')!;
    value.textContent = formatMeasure(tile.measure, tile.value);
    value.dataset.raw = String(tile.value);
    // Tiles of a dataset that is not compared with a year earlier have no change line.
    const delta = element.querySelector('[data-delta] span');
    if (delta) {
      delta.className = direction(tile.change);
      delta.textContent = formatChange(tile.change);
      element.querySelector('[data-span]')!.textContent = `vs ${formatSpan(spans.previous.from, spans.previous.to)}`;
    }
  }
  const growth = root.querySelector<HTMLElement>('[data-tile="growth"]');
  const primary = tiles.find((t) => t.measure.name === spec.primaryMeasure) ?? tiles[0];
  if (growth && primary) {
    growth.querySelector('[data-value]')!.textContent = formatChange(primary.change);
    growth.querySelector('[data-span]')!.textContent = formatSpan(spans.current.from, spans.current.to);
    growth.querySelector('[data-previous]')!.textContent = formatMeasure(primary.measure, primary.previous);
    growth.querySelector('[data-current]')!.textContent = formatMeasure(primary.measure, primary.current);
  }
  return () => {
    for (const tile of tiles) {
      const spark = root.querySelector<HTMLElement>(`[data-tile="${tile.measure.name}"] [data-spark]`);
      spark?.replaceChildren(...(tile.spark.length ? [renderPlot(sparklineOptions(tile.spark, tile.measure.label), document)] : []));
    }
  };
}
