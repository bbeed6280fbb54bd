import * as Plot from '@observablehq/plot';

/**
 * Renders Plot options into an element of the given document (linkedom at build time, the page's own in
 * the browser). Plot's embedded <style> and style="" are removed: the site runs under a Content-Security-
 * Policy without inline styles, and the same rules ship in the site's stylesheet (charts.css).
 */
export function renderPlot(options: Plot.PlotOptions, document: Document): SVGSVGElement | HTMLElement {
  const node = Plot.plot({ ...options, document, className: 'chart-plot' });
  for (const style of node.querySelectorAll('style')) style.remove();
  for (const element of [node, ...node.querySelectorAll('[style]')]) element.removeAttribute('style');
  return node;
}
