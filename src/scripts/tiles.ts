/** Updates the KPI tiles for a state. */
import { sparklineOptions } from '../lib/charts/plot-options.ts';
import { renderPlot } from '../lib/charts/render.ts';
import type { FactTable } from '../lib/fact-table.ts';
import type { FilterState } from '../lib/filter-state.ts';
import { formatChange, formatMeasure, formatSpan } from '../lib/format.ts';
import { comparisonSpans, isLongFigure, kpiTiles, monthlySparks, type Tile } from '../lib/kpi-tiles.ts';
import { withParts, type EngineSpec } from '../lib/query.ts';

const direction = (c: number | null) => (c == null ? '' : c > 0 ? 'up' : c < 0 ? 'down' : '');

/** Updates the figures at once and returns the sparklines' redraw (computed then too), which can wait for idle time. */
export function renderTiles(root: HTMLElement, table: FactTable, rows: Uint32Array, spec: EngineSpec & { primaryMeasure?: string }, state: FilterState): () => void {
  const names = root.dataset.measures ? (JSON.parse(root.dataset.measures) as string[]) : undefined;
  const compare = root.dataset.compare !== 'false';
  const tiles = kpiTiles(table, spec, state, root.dataset.monthColumn!, names, { compare, sparklines: false, rows });
  for (const tile of tiles) {
    const element = root.querySelector<HTMLElement>(`[data-tile="${tile.measure.name}"]`);
    if (!element) continue;
    const value = element.querySelector<HTMLElement>('[data-value]')!;
    value.textContent = formatMeasure(tile.measure, tile.value);
    value.toggleAttribute('data-long', isLongFigure(value.textContent));
    value.dataset.raw = String(tile.value);
  }
  if (compare) showComparison(root, tiles, spec, comparisonSpans(state, table, spec.timeGrain));
  return () => {
    const measures = names ? withParts(spec.measures, names) : spec.measures;
    const sparks = monthlySparks(table, rows, measures, root.dataset.monthColumn!);
    for (const tile of tiles) {
      const points = sparks[tile.measure.name] ?? [];
      const spark = root.querySelector<HTMLElement>(`[data-tile="${tile.measure.name}"] [data-spark]`);
      spark?.replaceChildren(...(points.length ? [renderPlot(sparklineOptions(points), document)] : []));
    }
  };
}

/** Each tile's change against a year earlier, and the growth tile. */
function showComparison(root: HTMLElement, tiles: Tile[], spec: { primaryMeasure?: string }, spans: ReturnType<typeof comparisonSpans>) {
  // Formatted once: a date range takes a millisecond to format.
  const previous = `vs ${formatSpan(spans.previous.from, spans.previous.to)}`;
  for (const tile of tiles) {
    const delta = root.querySelector<HTMLElement>(`[data-tile="${tile.measure.name}"] [data-delta] span`);
    if (!delta) continue;
    delta.className = direction(tile.change);
    delta.textContent = formatChange(tile.change);
    root.querySelector(`[data-tile="${tile.measure.name}"] [data-span]`)!.textContent = previous;
  }
  const growth = root.querySelector<HTMLElement>('[data-tile="growth"]');
  const primary = tiles.find((t) => t.measure.name === spec.primaryMeasure) ?? tiles[0];
  if (growth && primary) {
    growth.querySelector('[data-value]')!.textContent = formatChange(primary.change);
    growth.querySelector('[data-span]')!.textContent = formatSpan(spans.current.from, spans.current.to);
    growth.querySelector('[data-previous]')!.textContent = formatMeasure(primary.measure, primary.previous);
    growth.querySelector('[data-current]')!.textContent = formatMeasure(primary.measure, primary.current);
  }
}
