/**
 * The quirks of the cars source, counted row by row. The generator measures them on the bundled sample to know at
 * what rates to reproduce them, and the tests measure a generated file the same way to compare.
 */
import { column } from './types.ts';

/** Counts of rows showing each quirk. */
export interface CarQuirks {
  rows: number;
  /** condition on the ten-times scale (10–49)… */
  conditionTens: number;
  /** …on the 1–5 scale… */
  conditionOnes: number;
  /** …or empty. */
  conditionEmpty: number;
  /** make written all in lower case (`ford`, `land rover`). */
  makeLowercase: number;
  makeEmpty: number;
  /** body written all in lower case (`suv`). */
  bodyLowercase: number;
  transmissionEmpty: number;
  /** `—` for a missing color or interior. */
  colorMarker: number;
  interiorMarker: number;
  /** State code in lower case (`ca`): every row of the head. */
  stateLowercase: number;
  /** Seller with two spaces in a row. */
  sellerDoubledSpace: number;
  /** Placeholder prices: selling price or MMR under 100 (a price of 1). */
  priceUnder100: number;
  mmrUnder100: number;
  /** Sale dates in daylight time (PDT) rather than standard time (PST). */
  daylightTime: number;
  /** Shifted columns: the VIN cell is not a 17-character VIN (it holds `automatic`). */
  shifted: number;
  /** A body type in the transmission column, the VIN in its place. */
  bodyInTransmission: number;
  /** A VIN sold earlier on another day: a second sale of the same car. */
  resale: number;
  /** A VIN sold earlier on the same day, with other values: a key conflict. */
  sameDayConflict: number;
  /** A row identical to an earlier one. */
  exactDuplicate: number;
}

export const VIN = /^[A-Za-z0-9]{17}$/;
const TRANSMISSIONS = new Set(['automatic', 'manual']);
/** `Tue Dec 16 2014 12:30:00 GMT-0800 (PST)` → `Dec 16 2014`: the local day, which with the VIN is the key. */
export const saleDay = (saledate: string) => saledate.slice(4, 15);
const isLowercaseWord = (text: string) => text !== '' && text === text.toLowerCase() && text !== text.toUpperCase();

/** Shifted columns, as the full public file has them: judged on the cells, not on where they came from. */
export function isShifted(vin: string): boolean {
  return !VIN.test(vin);
}

export function hasBodyInTransmission(vin: string, transmission: string): boolean {
  return VIN.test(vin) && transmission !== '' && !TRANSMISSIONS.has(transmission.toLowerCase());
}

/** What a row is with respect to the rows before it: the quirks that take more than one cell to see. */
export type RowKind = 'sale' | 'shifted' | 'bodyInTransmission' | 'resale' | 'sameDayConflict' | 'exactDuplicate';

/** Tells each row's kind in turn, remembering the VINs and days seen so far. */
export class RowKinds {
  // Per VIN, the days it was sold on and the first row of each day (as text).
  private readonly sales = new Map<string, Map<string, string>>();

  private readonly at: { vin: number; transmission: number; saledate: number };

  constructor(at: { vin: number; transmission: number; saledate: number }) {
    this.at = at;
  }

  kind(row: string[]): RowKind {
    const vin = row[this.at.vin] ?? '';
    if (isShifted(vin)) return 'shifted';
    const text = row.join('\u0000');
    const day = saleDay(row[this.at.saledate] ?? '');
    let days = this.sales.get(vin);
    if (!days) this.sales.set(vin, (days = new Map()));
    const earlier = days.get(day);
    if (earlier === undefined) {
      const resale = days.size > 0;
      days.set(day, text);
      if (hasBodyInTransmission(vin, row[this.at.transmission] ?? '')) return 'bodyInTransmission';
      return resale ? 'resale' : 'sale';
    }
    return earlier === text ? 'exactDuplicate' : 'sameDayConflict';
  }
}

export const rowKinds = (header: string[]) => new RowKinds({ vin: column(header, 'vin'), transmission: column(header, 'transmission'), saledate: column(header, 'saledate') });

/** Counts every quirk over rows of the cars header (cells unquoted, as a CSV parser returns them). */
export function countQuirks(header: string[], rows: Iterable<string[]>): CarQuirks {
  const at = (name: string) => column(header, name);
  const [make, body, transmission, state, condition, color, interior, seller, mmr, price, date] = [
    'make', 'body', 'transmission', 'state', 'condition', 'color', 'interior', 'seller', 'mmr', 'sellingprice', 'saledate',
  ].map(at) as number[];
  const q: CarQuirks = {
    rows: 0, conditionTens: 0, conditionOnes: 0, conditionEmpty: 0, makeLowercase: 0, makeEmpty: 0, bodyLowercase: 0,
    transmissionEmpty: 0, colorMarker: 0, interiorMarker: 0, stateLowercase: 0, sellerDoubledSpace: 0, priceUnder100: 0,
    mmrUnder100: 0, daylightTime: 0, shifted: 0, bodyInTransmission: 0, resale: 0, sameDayConflict: 0, exactDuplicate: 0,
  };
  const kinds = rowKinds(header);
  for (const row of rows) {
    q.rows++;
    const cell = (i: number) => row[i] ?? '';
    const grade = cell(condition);
    if (grade === '') q.conditionEmpty++;
    else if (Number(grade) >= 10) q.conditionTens++;
    else if (Number(grade) >= 1) q.conditionOnes++;
    if (cell(make) === '') q.makeEmpty++;
    else if (isLowercaseWord(cell(make))) q.makeLowercase++;
    if (isLowercaseWord(cell(body))) q.bodyLowercase++;
    if (cell(transmission) === '') q.transmissionEmpty++;
    if (cell(color) === '—') q.colorMarker++;
    if (cell(interior) === '—') q.interiorMarker++;
    if (isLowercaseWord(cell(state))) q.stateLowercase++;
    if (cell(seller).includes('  ')) q.sellerDoubledSpace++;
    if (cell(price) !== '' && Number(cell(price)) < 100) q.priceUnder100++;
    if (cell(mmr) !== '' && Number(cell(mmr)) < 100) q.mmrUnder100++;
    if (cell(date).endsWith('(PDT)')) q.daylightTime++;
    const kind = kinds.kind(row);
    if (kind !== 'sale') q[kind]++;
  }
  return q;
}
