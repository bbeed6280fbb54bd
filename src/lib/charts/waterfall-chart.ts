/**
 * A waterfall of a measure's change between two periods: the total before, each member's change stacked on the
 * running sum (the largest changes, the rest as one bar), the total after. Pure.
 */
import * as Plot from '@observablehq/plot';
import type { Change } from '../contract/analysis.ts';
import type { MeasureSpec } from '../contract/declaration.ts';
import { formatMeasure, formatMeasureChange } from '../format.ts';
import { axisFormat, memberAxis } from './plot-options.ts';

export interface WaterfallStep {
  label: string;
  from: number;
  to: number;
  kind: 'total' | 'up' | 'down';
}

/** The steps from `before` to `after`: `shown` members by the size of their change, the others summed. */
export function waterfallSteps(members: { member: string | null; change: Change }[], totals: Change, labels: { before: string; after: string }, shown = 10): WaterfallStep[] {
  const sorted = [...members].sort((a, b) => Math.abs(b.change[2]) - Math.abs(a.change[2]));
  const rest = sorted.slice(shown).reduce((a, m) => a + m.change[2], 0);
  const steps: WaterfallStep[] = [{ label: labels.before, from: 0, to: totals[0], kind: 'total' }];
  let at = totals[0];
  const step = (label: string, change: number) => {
    steps.push({ label, from: at, to: at + change, kind: change >= 0 ? 'up' : 'down' });
    at += change;
  };
  for (const m of sorted.slice(0, shown)) step(m.member ?? '(none)', m.change[2]);
  if (sorted.length > shown) step(`${sorted.length - shown} others`, rest);
  steps.push({ label: labels.after, from: 0, to: totals[1], kind: 'total' });
  return steps;
}

export function waterfallOptions(steps: WaterfallStep[], measure: MeasureSpec, width: number): Plot.PlotOptions {
  const { marginLeft, axis } = memberAxis(steps.map((s) => s.label));
  const value = (v: number) => formatMeasure(measure, v);
  return {
    width,
    height: steps.length * 24 + 40,
    marginLeft,
    marginRight: 16,
    x: { grid: true, label: null, tickFormat: axisFormat(measure) },
    y: { label: null, domain: steps.map((s) => s.label) },
    color: { domain: ['total', 'up', 'down'], range: ['var(--muted)', 'var(--good)', 'var(--bad)'] },
    marks: [
      axis,
      Plot.barX(steps, {
        x1: 'from',
        x2: 'to',
        y: 'label',
        fill: 'kind',
        tip: true,
        title: (s: WaterfallStep) => (s.kind === 'total' ? `${s.label}\n${value(s.to)}` : `${s.label}\n${formatMeasureChange(measure, s.to - s.from)}`),
      }),
      Plot.ruleX([0]),
    ],
  };
}
