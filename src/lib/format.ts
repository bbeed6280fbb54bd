/** Display formats shared by pages (build time) and the browser, so a number reads the same everywhere. */
import type { MeasureSpec } from './dataset-spec.ts';

const currency0 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const currency2 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const number2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const percent1 = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });

export const formatCurrency = (v: number | null | undefined, cents = false) => (v == null ? '–' : (cents ? currency2 : currency0).format(v));
export const formatInteger = (v: number | null | undefined) => (v == null ? '–' : integer.format(v));
export const formatCompact = (v: number | null | undefined) => (v == null ? '–' : compact.format(v));
export const formatChange = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : percent1.format(v));

/** A measure's value as its declaration says it reads. */
export function formatMeasure(measure: Pick<MeasureSpec, 'format'>, v: number | null | undefined, precise = false): string {
  switch (measure.format) {
    case 'currency':
      return formatCurrency(v, precise);
    case 'integer':
      return formatInteger(v);
    case 'number':
      return v == null ? '–' : number2.format(v);
  }
}
