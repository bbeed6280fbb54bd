/** Display formats shared by pages (build time) and the browser, so a number reads the same everywhere. */
import type { MeasureSpec } from './contract/declaration.ts';

/** Formats of a currency (ISO 4217 code), made once each: whole units, to the cent, and compact ($21K). */
const currencies = new Map<string, { whole: Intl.NumberFormat; cents: Intl.NumberFormat; compact: Intl.NumberFormat }>();
function currencyFormats(code: string) {
  let formats = currencies.get(code);
  if (!formats) {
    const currency = (options: Intl.NumberFormatOptions) => new Intl.NumberFormat('en-US', { style: 'currency', currency: code, ...options });
    formats = {
      whole: currency({ maximumFractionDigits: 0 }),
      cents: currency({ minimumFractionDigits: 2, maximumFractionDigits: 2 }),
      compact: currency({ notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }),
    };
    currencies.set(code, formats);
  }
  return formats;
}
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const number2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const percent1 = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const share1 = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const share2 = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const formatCurrency = (v: number | null | undefined, cents = false, currency = 'USD') =>
  v == null ? '–' : currencyFormats(currency)[cents ? 'cents' : 'whole'].format(v);
export const formatInteger = (v: number | null | undefined) => (v == null ? '–' : integer.format(v));
/** A count before and after a change: "2,000" when it stayed, "– → 4" or "2,000 → 2,004" when it moved. */
export const formatCountChange = ({ before, after }: { before: number | null; after: number | null }) =>
  before === after ? formatInteger(after) : `${formatInteger(before)} → ${formatInteger(after)}`;
export const formatCompact = (v: number | null | undefined) => (v == null ? '–' : compact.format(v));
export const formatChange = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : percent1.format(v));

/** An axis tick of a measure: short ($21K, -$2K, 45%). */
export function formatTick(measure: Pick<MeasureSpec, 'format' | 'currency'>, v: number): string {
  if (measure.format === 'percent') return `${Math.round(v * 100)}%`;
  if (measure.format === 'currency') return currencyFormats(measure.currency ?? 'USD').compact.format(v);
  return compact.format(v);
}

/** A measure as a page shows it: estimated (≈) when the page's cells hold its values in bins only. */
export type ShownMeasure = Pick<MeasureSpec, 'format' | 'currency'> & { approximate?: boolean };

/** A measure's value as its declaration says it reads; an estimate reads "≈ …". */
export function formatMeasure(measure: ShownMeasure, v: number | null | undefined, precise = false): string {
  const text = (() => {
    switch (measure.format) {
      case 'currency':
        return formatCurrency(v, precise, measure.currency);
      case 'integer':
        return formatInteger(v);
      case 'number':
        return v == null ? '–' : number2.format(v);
      case 'percent':
        return v == null ? '–' : (precise ? share2 : share1).format(v);
    }
  })();
  return measure.approximate && v != null ? `≈ ${text}` : text;
}

const span = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/** An inclusive span of ISO dates for people: "Jan 1 – May 31, 2004", with both years when they differ. */
/** A measure's change, signed: +$1,234, −$56, and no sign for none. */
export const formatMeasureChange = (measure: ShownMeasure, v: number, precise = false) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${formatMeasure(measure, Math.abs(v), precise)}`;

export const formatSpan = (from: string, to: string): string => span.formatRange(new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`));

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB'];
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** File sizes for people: 527958 → "528.0 kB" (decimal units, as file managers and browsers show them). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  // 999.95 and up would print as 1,000.0 of the unit: move to the next one instead.
  while (value >= 999.95 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : oneDecimal.format(value)} ${BYTE_UNITS[unit]}`;
}
