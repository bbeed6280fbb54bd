/** Redraws a chart drawn at build time (PlotFigure.astro): at its width, and its phone copy at the phone's. */
import type * as Plot from '@observablehq/plot';
import { PHONE_WIDTH } from '../lib/charts/plot-options.ts';
import { renderPlot } from '../lib/charts/render.ts';

export function redrawStatic(host: Element, width: number, options: (width: number) => Plot.PlotOptions): void {
  for (const chart of host.querySelectorAll('.static-chart')) chart.replaceChildren(renderPlot(options(chart.classList.contains('phone-only') ? PHONE_WIDTH : width), document));
}
