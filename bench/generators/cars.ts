/**
 * Synthetic cars files of the real shape, resampled from data/car_prices.csv (the head of the public file):
 * - rows come in shuffled passes over the sample, every usable row once per pass, so each quirk a row carries by
 *   itself keeps the sample's share: condition on two scales or empty, lower-case makes and bodies, empty makes
 *   and transmissions, `—` for missing colors, lower-case state codes, sellers with doubled spaces, prices of 1;
 * - every row gets a new VIN, unique in the file: the sample VIN's first 8 characters (maker, model, body) and a
 *   9-character serial in base 36;
 * - the odometer moves by ±15%; MMR and selling price move together by one market factor (±10%), the price by
 *   ±3% more of its own, both rounded the way the sample rounds that value (to 100, 50, 25 or 1). Values under
 *   100 are placeholders (a price of 1) and are kept as written; a real price stays at 100 or more;
 * - sale dates move by whole weeks (up to 26 back and 52 forward), so the weekdays keep the sample's pattern, and
 *   are written as JavaScript writes them in Pacific time, PST or PDT as the new date has it;
 * - the quirks that take more than one row, or a broken row, are added at the rates measured in the sample, spread
 *   evenly over the file: the same VIN on the same day with other values (a key conflict), the same VIN on a
 *   later day (a resale), exact duplicates, shifted columns and a body in the transmission column. The head has
 *   no resale, shifted row or body in the transmission column, which the full public file has a few of: those
 *   come at one per sample-sized stretch (1 in 19,999 rows), as if the head had held one of each.
 * Written UTF-8 with CRLF line endings, like the public file.
 */
import { rowKinds, type RowKind } from './car-quirks.ts';
import { PacificFormatter, parsePacific, type LocalTime } from './pacific-date.ts';
import { column, csvCell, type Generator, type Rng, type Sample } from './types.ts';

const ODOMETER_JITTER = 0.15;
const MARKET_JITTER = 0.1;
const PRICE_JITTER = 0.03;
/** Under this, a price or MMR is a placeholder (the dataset rejects it): never jittered across the line. */
const PLACEHOLDER_BELOW = 100;
const WEEKS_BACK = 26;
const WEEKS_FORWARD = 52;
/** A resale comes 1–8 weeks after the earlier sale, with 25–3,000 more miles. */
const RESALE_WEEKS = 8;
const RESALE_MILES = [25, 3000] as const;
/** Earlier clean rows kept to draw conflicts, resales and duplicates from. */
const RECENT = 256;
const SERIAL_DIGITS = 9;
const SERIAL_SPACE = 36 ** SERIAL_DIGITS;

/** Quirks known in the full public file though the sample has none of them. */
const KNOWN_IN_FULL_FILE: RowKind[] = ['resale', 'shifted', 'bodyInTransmission'];
const INJECTED: Exclude<RowKind, 'sale'>[] = ['sameDayConflict', 'resale', 'exactDuplicate', 'shifted', 'bodyInTransmission'];

interface Source {
  /** Cells as written in the file (quoted where needed). */
  cells: string[];
  vinPrefix: string;
  odometer: number | undefined;
  mmr: number;
  price: number;
  when: LocalTime;
  /** Loads as is (a real price and MMR): so a conflict or resale drawn from it is one for the pipeline too. */
  clean: boolean;
}

interface Emitted {
  cells: string[];
  odometer: number | undefined;
  mmr: number;
  price: number;
  when: LocalTime;
}

interface Prepared {
  header: string[];
  at: Record<'trim' | 'body' | 'transmission' | 'vin' | 'odometer' | 'mmr' | 'price' | 'saledate', number>;
  pool: Source[];
  /** Rows of the pool usable for a shifted row (a transmission to shift into the VIN's place) and a body to misplace. */
  withTransmission: number[];
  withBody: number[];
  /** Per injected kind, its share of rows. */
  rates: Record<(typeof INJECTED)[number], number>;
}

/** The grain the source rounds a value to: 100, 50, 25 or 1. */
export const grain = (value: number) => (value % 100 === 0 ? 100 : value % 50 === 0 ? 50 : value % 25 === 0 ? 25 : 1);

/** A price or MMR moved by a factor, on its grain; placeholders as they were, real values at 100 or more. */
export function movePrice(value: number, factor: number): number {
  if (value < PLACEHOLDER_BELOW) return value;
  const g = grain(value);
  return Math.max(PLACEHOLDER_BELOW, Math.round((value * factor) / g) * g);
}

const number = (text: string) => (text === '' ? undefined : Number(text));
const between = (rng: Rng, low: number, high: number) => low + (high - low) * rng();
const integer = (rng: Rng, low: number, high: number) => low + Math.floor(rng() * (high - low + 1));

/**
 * Measures the sample and splits it: rows that are first sales with a clean VIN and transmission form the pool;
 * the rest (later sales of a VIN, broken rows) count towards the rates of the quirks added on top.
 */
export function prepareCars(sample: Sample): Prepared {
  const { header, rows } = sample;
  const at = {
    trim: column(header, 'trim'),
    body: column(header, 'body'),
    transmission: column(header, 'transmission'),
    vin: column(header, 'vin'),
    odometer: column(header, 'odometer'),
    mmr: column(header, 'mmr'),
    price: column(header, 'sellingprice'),
    saledate: column(header, 'saledate'),
  };
  // A shifted row is made by moving trim…VIN one column right and dropping the odometer: that needs this order.
  if (!(at.trim < at.body && at.body < at.transmission && at.transmission < at.vin && at.vin < at.odometer)) {
    throw new Error(`the cars header has trim, body, transmission, vin, odometer in another order: ${header.join(',')}`);
  }
  const kinds = rowKinds(header);
  const counts = Object.fromEntries(INJECTED.map((k) => [k, 0])) as Record<(typeof INJECTED)[number], number>;
  const pool: Source[] = [];
  for (const row of rows) {
    const kind = kinds.kind(row);
    if (kind !== 'sale') {
      counts[kind]++;
      continue;
    }
    const mmr = Number(row[at.mmr]);
    const price = Number(row[at.price]);
    if (!Number.isFinite(mmr) || !Number.isFinite(price)) throw new Error(`mmr "${row[at.mmr]}" or sellingprice "${row[at.price]}" is not a number`);
    pool.push({
      cells: row.map(csvCell),
      vinPrefix: row[at.vin]!.slice(0, 17 - SERIAL_DIGITS),
      odometer: number(row[at.odometer]!),
      mmr,
      price,
      when: parsePacific(row[at.saledate]!),
      clean: mmr >= PLACEHOLDER_BELOW && price >= PLACEHOLDER_BELOW && (number(row[at.odometer]!) ?? 0) >= 0,
    });
  }
  if (!pool.length) throw new Error('the cars sample has no usable rows');
  const rates = Object.fromEntries(
    INJECTED.map((k) => [k, (KNOWN_IN_FULL_FILE.includes(k) ? Math.max(1, counts[k]) : counts[k]) / rows.length]),
  ) as Prepared['rates'];
  const indexesWhere = (test: (s: Source) => boolean) => pool.flatMap((s, i) => (test(s) ? [i] : []));
  return {
    header,
    at,
    pool,
    withTransmission: indexesWhere((s) => s.cells[at.transmission] !== ''),
    withBody: indexesWhere((s) => s.cells[at.body] !== ''),
    rates,
  };
}

/** Events at a rate, one at a random row of each stretch of 1 / rate rows: n × rate of them in n rows, ±1. */
class Schedule {
  private stretch = 0;
  private at: number;

  private readonly rate: number;
  private readonly rng: Rng;

  constructor(rate: number, rng: Rng) {
    this.rate = rate;
    this.rng = rng;
    this.at = this.place();
  }

  private place() {
    return this.rate > 0 ? (this.stretch + this.rng()) / this.rate : Infinity;
  }

  due(row: number) {
    return row >= this.at;
  }

  /** The event was written (a postponed one stays due until then). */
  done() {
    this.stretch++;
    this.at = this.place();
  }
}

function* resample(sample: Sample, rng: Rng, n: number): IterableIterator<string> {
  const { at, pool, withTransmission, withBody, rates } = prepareCars(sample);
  const dates = new PacificFormatter();
  const schedules = INJECTED.map((kind) => ({ kind, schedule: new Schedule(rates[kind], rng) }));
  const serialBase = Math.floor(rng() * (SERIAL_SPACE / 36));
  let serial = 0;
  const order = Int32Array.from(pool.keys());
  let next = order.length;
  const recent: Emitted[] = [];

  /** A sale of one of the sample's rows: new VIN, jittered figures and date. */
  const sale = (source: Source): Emitted => {
    const cells = source.cells.slice();
    const id = serialBase + serial++;
    if (id >= SERIAL_SPACE) throw new Error('ran out of VIN serials');
    cells[at.vin] = source.vinPrefix + id.toString(36).padStart(SERIAL_DIGITS, '0');
    let odometer = source.odometer;
    if (odometer !== undefined && odometer > 1) {
      odometer = Math.round(odometer * between(rng, 1 - ODOMETER_JITTER, 1 + ODOMETER_JITTER));
      cells[at.odometer] = String(odometer);
    }
    const market = between(rng, 1 - MARKET_JITTER, 1 + MARKET_JITTER);
    const mmr = movePrice(source.mmr, market);
    const price = movePrice(source.price, market * between(rng, 1 - PRICE_JITTER, 1 + PRICE_JITTER));
    cells[at.mmr] = String(mmr);
    cells[at.price] = String(price);
    const when = { ...source.when, day: source.when.day + 7 * integer(rng, -WEEKS_BACK, WEEKS_FORWARD) };
    cells[at.saledate] = dates.format(when);
    return { cells, odometer, mmr, price, when };
  };

  /** Takes one of the recent clean rows out of the pool of rows to repeat, so that no two repeats collide. */
  const takeRecent = (): Emitted | undefined => {
    if (!recent.length) return undefined;
    const i = Math.floor(rng() * recent.length);
    const row = recent[i]!;
    recent[i] = recent[recent.length - 1]!;
    recent.pop();
    return row;
  };

  const inject = (kind: (typeof INJECTED)[number]): string[] | undefined => {
    switch (kind) {
      case 'sameDayConflict': {
        const earlier = takeRecent();
        if (!earlier) return undefined;
        // The same car on the same day, at another price.
        const cells = earlier.cells.slice();
        const moved = movePrice(earlier.price, 1 + (rng() < 0.5 ? -1 : 1) * between(rng, 0.02, 0.1));
        cells[at.price] = String(moved === earlier.price ? earlier.price + grain(earlier.price) : moved);
        return cells;
      }
      case 'resale': {
        const earlier = takeRecent();
        if (!earlier) return undefined;
        const cells = earlier.cells.slice();
        if (earlier.odometer !== undefined && earlier.odometer > 1) cells[at.odometer] = String(earlier.odometer + integer(rng, ...RESALE_MILES));
        const market = between(rng, 0.95, 1.05);
        cells[at.mmr] = String(movePrice(earlier.mmr, market));
        cells[at.price] = String(movePrice(earlier.price, market * between(rng, 1 - PRICE_JITTER, 1 + PRICE_JITTER)));
        cells[at.saledate] = dates.format({ ...earlier.when, day: earlier.when.day + 7 * integer(rng, 1, RESALE_WEEKS) });
        return cells;
      }
      case 'exactDuplicate': {
        if (!recent.length) return undefined;
        return recent[Math.floor(rng() * recent.length)]!.cells;
      }
      case 'shifted': {
        // As in the full file: the trim missing leaves an empty cell before it, so trim, body, transmission and
        // VIN move one column right (`automatic` lands where the VIN belongs) and the odometer drops out.
        const { cells } = sale(pool[withTransmission[Math.floor(rng() * withTransmission.length)]!]!);
        cells.splice(at.trim, 0, '');
        cells.splice(at.odometer + 1, 1);
        return cells;
      }
      case 'bodyInTransmission': {
        const { cells } = sale(pool[withBody[Math.floor(rng() * withBody.length)]!]!);
        cells[at.transmission] = cells[at.body]!;
        return cells;
      }
    }
  };

  for (let row = 0; row < n; row++) {
    let cells: string[] | undefined;
    for (const { kind, schedule } of schedules) {
      if (!schedule.due(row)) continue;
      cells = inject(kind);
      if (cells) {
        schedule.done();
        break;
      }
    }
    if (!cells) {
      // The next row of the current pass over the pool; a new shuffled pass when it is used up (Fisher–Yates).
      if (next === order.length) {
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(rng() * (i + 1));
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        next = 0;
      }
      const source = pool[order[next++]!]!;
      const emitted = sale(source);
      if (source.clean) {
        if (recent.length < RECENT) recent.push(emitted);
        else recent[row % RECENT] = emitted;
      }
      cells = emitted.cells;
    }
    yield cells.join(',');
  }
}

export const cars: Generator = {
  dataset: 'cars',
  sample: 'data/car_prices.csv',
  encoding: 'utf8',
  newline: '\r\n',
  quirkRows: true,
  version: 1,
  header: (sample) => sample.header,
  resample,
};
