import * as Plot from '@observablehq/plot';
import type { ChartData, ChartDef } from './definitions.ts';

/**
 * Renders Plot options into an element of the given document (linkedom at build time, the page's own in
 * the browser).
 */
export function renderPlot(options: Plot.PlotOptions, document: Document): SVGSVGElement | HTMLElement {
  return accessible(Plot.plot({ ...options, document, className: 'chart-plot' }));
}

/** A colour legend on its own, as the chart with these scale options draws it (the map's, redrawn in the browser). */
export function renderLegend(color: Plot.ScaleOptions & Plot.LegendOptions, document: Document): SVGSVGElement | HTMLElement {
  // A plot takes the legend's options (width, …) from the scale's; Plot.legend from its own. It takes `document`
  // as Plot.plot does, though its types leave it out.
  const options: Plot.LegendScales & Pick<Plot.PlotOptions, 'document'> = { ...color, color, document, className: 'chart-plot' };
  return accessible(Plot.legend(options));
}

/**
 * What every chart needs after Plot. Its embedded <style> and style="" are removed: the site runs under a Content-
 * Security-Policy without inline styles, and the same rules ship in the site's stylesheet (charts.css). Plot names
 * each mark's <g> with aria-label, which ARIA does not allow on an element without a role: they are groups.
 */
function accessible<T extends Element>(node: T): T {
  for (const style of node.querySelectorAll('style')) style.remove();
  for (const element of [node, ...node.querySelectorAll('[style]')]) element.removeAttribute('style');
  for (const group of node.querySelectorAll('g[aria-label]:not([role])')) group.setAttribute('role', 'group');
  return node;
}

/**
 * Marks each bar or cell with the member it stands for, so a click can be handled on the chart drawn at build time
 * as on one drawn in the browser. Plot draws no mark for a missing value, and the others in the data's order.
 */
export function tagMembers(node: Element, def: ChartDef, data: ChartData): void {
  const selector = def.kind === 'bars' || def.kind === 'drill' ? 'g[aria-label="bar"] > rect' : def.kind === 'heatmap' ? 'g[aria-label="cell"] > rect' : undefined;
  if (!selector) return;
  const members = data.rows.filter((r) => r.value != null).map((r) => r.key);
  node.querySelectorAll(selector).forEach((mark, i) => members[i] !== undefined && mark.setAttribute('data-member', members[i]));
}
