/**
 * A chart's width, measured once and then only when its box resizes. Reading clientWidth while a redraw is
 * replacing nodes would make the browser lay out the page there and then, and again once the redraw is done.
 */
export function watchWidth(body: HTMLElement, fallback: number, onResize: (width: number) => void): number {
  let width = body.clientWidth || fallback;
  new ResizeObserver(() => {
    // 0 while hidden (no data): keep the last width for when it shows again.
    const next = body.clientWidth;
    if (next && Math.abs(next - width) > 1) onResize((width = next));
  }).observe(body);
  return width;
}

/** Asks the dashboard to redraw for a change of view (a width, a grain), without a new history entry. */
export const redraw = (element: HTMLElement) => element.dispatchEvent(new CustomEvent('panel-options', { bubbles: true }));
