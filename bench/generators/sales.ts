/**
 * Synthetic sales files of the real shape, resampled from data/sales_data_sample.csv:
 * - whole orders are drawn at random (an order keeps its lines, line numbers, customer, status and products)
 *   and numbered afresh from 10100, so (ORDERNUMBER, ORDERLINENUMBER) stays unique;
 * - each drawn order is moved back by 0–9 whole years and by −1, 0 or +1 month (the day kept, or clamped to the
 *   month's last day), so the dates spread over about 12 years with the sample's seasonality;
 *   ORDERDATE keeps the sample's `M/D/YYYY H:MM` form and QTR_ID, MONTH_ID, YEAR_ID are set from it;
 * - QUANTITYORDERED is jittered by ±25% and the line's unit price by ±10%. As in the sample, PRICEEACH is the
 *   unit price capped at 100 and SALES the line revenue, quantity × uncapped unit price, in cents; DEALSIZE is
 *   set from SALES with the sample's bands (Small under 3,000, Large over 7,000, Medium between);
 * - every other cell is copied as it is, and numbers are written as the sample writes them (2871, 2765.9).
 */
import { column, csvCell, type Generator, type Rng, type Sample } from './types.ts';

const FIRST_ORDER_NUMBER = 10100;
const YEARS_BACK = 10;
const QUANTITY_JITTER = 0.25;
const PRICE_JITTER = 0.1;
const PRICE_CAP_CENTS = 100_00;
/** DEALSIZE bands of the sample: Small < 3,000 ≤ Medium ≤ 7,000 < Large. */
const SMALL_BELOW_CENTS = 3000_00;
const LARGE_ABOVE_CENTS = 7000_00;

/** The cells a generated row recomputes, in the order `values` produces them. */
const CHANGED = ['ORDERNUMBER', 'QUANTITYORDERED', 'PRICEEACH', 'SALES', 'ORDERDATE', 'QTR_ID', 'MONTH_ID', 'YEAR_ID', 'DEALSIZE'] as const;

interface Line {
  /** The row's unchanged text around the recomputed cells: segments[k] precedes the k-th changed cell in file order. */
  segments: string[];
  quantity: number;
  /** Unit price actually charged (SALES ÷ QUANTITYORDERED), not capped. */
  unitCents: number;
  lineNumber: number;
}

interface Order {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** What follows the date in ORDERDATE, e.g. " 0:00". */
  time: string;
  lines: Line[];
}

const DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(.*)$/;

/** Cents as the sample writes money: no trailing zeros, no decimal point for whole amounts. */
export function formatCents(cents: number): string {
  const whole = Math.floor(cents / 100);
  const frac = cents % 100;
  if (frac === 0) return String(whole);
  if (frac % 10 === 0) return `${whole}.${frac / 10}`;
  return `${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

const toCents = (text: string) => Math.round(Number(text) * 100);
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function dealSize(salesCents: number): string {
  return salesCents < SMALL_BELOW_CENTS ? 'Small' : salesCents > LARGE_ABOVE_CENTS ? 'Large' : 'Medium';
}

/**
 * Groups the sample's rows into orders, each line pre-split around the cells a generated row recomputes;
 * `valueOrder` lists, in file order, which of `CHANGED` each gap takes.
 */
function prepare(sample: Sample): { orders: Order[]; valueOrder: number[] } {
  const { header, rows } = sample;
  const at = Object.fromEntries(CHANGED.map((name) => [name, column(header, name)])) as Record<(typeof CHANGED)[number], number>;
  const lineNumberAt = column(header, 'ORDERLINENUMBER');
  const slots = CHANGED.map((name, valueIndex) => ({ position: at[name], valueIndex })).sort((a, b) => a.position - b.position);

  const byNumber = new Map<string, Order>();
  for (const row of rows) {
    const key = row[at.ORDERNUMBER]!;
    const match = DATE.exec(row[at.ORDERDATE]!);
    if (!match) throw new Error(`ORDERDATE "${row[at.ORDERDATE]}" of order ${key} is not M/D/YYYY`);
    let order = byNumber.get(key);
    if (!order) {
      order = { month: Number(match[1]), day: Number(match[2]), year: Number(match[3]), time: match[4]!, lines: [] };
      byNumber.set(key, order);
    }
    // Text before the first changed cell, between two changed cells (delimiters included), and after the last.
    const segments: string[] = [];
    let from = 0;
    for (const [k, { position }] of slots.entries()) {
      segments.push((k > 0 ? ',' : '') + row.slice(from, position).map((cell) => `${csvCell(cell)},`).join(''));
      from = position + 1;
    }
    segments.push(row.slice(from).map((cell) => `,${csvCell(cell)}`).join(''));
    const quantity = Number(row[at.QUANTITYORDERED]);
    order.lines.push({ segments, quantity, unitCents: Math.round(toCents(row[at.SALES]!) / quantity), lineNumber: Number(row[lineNumberAt]) });
  }
  const orders = [...byNumber.values()];
  for (const order of orders) order.lines.sort((a, b) => a.lineNumber - b.lineNumber);
  return { orders, valueOrder: slots.map((s) => s.valueIndex) };
}

function* resample(sample: Sample, rng: Rng, n: number): IterableIterator<string> {
  const { orders: list, valueOrder } = prepare(sample);
  const values: string[] = new Array(CHANGED.length);
  let emitted = 0;
  let orderNumber = FIRST_ORDER_NUMBER;
  while (emitted < n) {
    const source = list[Math.floor(rng() * list.length)]!;
    // Whole years back, then a month either way; the day is clamped to the new month's length.
    const monthIndex = source.year * 12 + (source.month - 1) - 12 * Math.floor(rng() * YEARS_BACK) + Math.floor(rng() * 3) - 1;
    const year = Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    const day = Math.min(source.day, daysInMonth(year, month));
    values[0] = String(orderNumber++);
    values[4] = `${month}/${day}/${year}${source.time}`;
    values[5] = String(Math.ceil(month / 3));
    values[6] = String(month);
    values[7] = String(year);
    const take = Math.min(source.lines.length, n - emitted);
    for (let i = 0; i < take; i++) {
      const line = source.lines[i]!;
      const quantity = Math.max(1, Math.round(line.quantity * (1 - QUANTITY_JITTER + 2 * QUANTITY_JITTER * rng())));
      const unitCents = Math.max(1, Math.round(line.unitCents * (1 - PRICE_JITTER + 2 * PRICE_JITTER * rng())));
      const salesCents = quantity * unitCents;
      values[1] = String(quantity);
      values[2] = formatCents(Math.min(unitCents, PRICE_CAP_CENTS));
      values[3] = formatCents(salesCents);
      values[8] = dealSize(salesCents);
      const { segments } = line;
      let text = segments[0]!;
      for (let k = 0; k < valueOrder.length; k++) text += values[valueOrder[k]!]! + segments[k + 1]!;
      yield text;
    }
    emitted += take;
  }
}

export const sales: Generator = {
  dataset: 'sales',
  sample: 'data/sales_data_sample.csv',
  encoding: 'cp850',
  version: 1,
  header: (sample) => sample.header,
  resample,
};
