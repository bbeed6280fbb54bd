/** The synthetic-data generators behind the benchmarks: deterministic, of the sample's shape, with its quirks, and loadable as is. */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { countQuirks } from '../../bench/generators/car-quirks.ts';
import { cars, grain, movePrice } from '../../bench/generators/cars.ts';
import { generateFile, generatorFor, readSample } from '../../bench/generators/index.ts';
import { PacificFormatter, parsePacific } from '../../bench/generators/pacific-date.ts';
import { dealSize, formatCents } from '../../bench/generators/sales.ts';
import { mulberry32 } from '../../bench/generators/types.ts';
import { run, sampleText, tempDir } from '../helpers/pipeline.ts';

const ROWS = 5000;
const dir = tempDir('salescube-generate-');
const generate = (seed: number, name = `sales-${seed}.csv`) => generateFile({ dataset: 'sales', rows: ROWS, seed, out: join(dir, name) });

let bytes: Buffer;
let header: string[];
let rows: Record<string, string>[];
beforeAll(async () => {
  const { file } = await generate(1);
  bytes = readFileSync(file);
  const [head, ...records] = parse(iconv.decode(bytes, 'cp850')) as string[][];
  header = head!;
  rows = records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
});

const cents = (text: string) => {
  expect(text).toMatch(/^\d+(\.\d{1,2})?$/);
  return Math.round(Number(text) * 100);
};

describe('generator', () => {
  it('gives the same bytes for a seed and other bytes for another seed', async () => {
    const again = readFileSync((await generate(1, 'again.csv')).file);
    expect(again.equals(bytes)).toBe(true);
    const other = readFileSync((await generate(2)).file);
    expect(other.equals(bytes)).toBe(false);
  });

  it('mulberry32 is a seeded sequence in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(1000);
  });

  it('writes the sample header, N data rows, LF endings and cp850 like the sample', () => {
    const sample = sampleText();
    expect(header.join(',')).toBe(sample.split('\n', 1)[0]);
    expect(rows).toHaveLength(ROWS);
    expect(bytes.includes(0x0d)).toBe(false);
    expect(bytes.at(-1)).toBe(0x0a);
    // Names such as Berguvsvägen come through as cp850 bytes, not UTF-8.
    expect(isUtf8(bytes)).toBe(false);
    expect(iconv.decode(bytes, 'cp850')).toMatch(/Berguvsvägen|Martín|Cataluña/);
  });

  it('numbers orders afresh with unique (ORDERNUMBER, ORDERLINENUMBER), each order in one block', () => {
    const keys = new Set(rows.map((r) => `${r.ORDERNUMBER}/${r.ORDERLINENUMBER}`));
    expect(keys.size).toBe(ROWS);
    const seen = new Set<string>();
    let previous = '';
    const orders = new Map<string, Record<string, string>>();
    for (const r of rows) {
      if (r.ORDERNUMBER !== previous) {
        expect(seen.has(r.ORDERNUMBER!)).toBe(false);
        seen.add(r.ORDERNUMBER!);
        previous = r.ORDERNUMBER!;
        orders.set(previous, r);
      }
      // An order keeps one date, customer and status for all its lines.
      const first = orders.get(previous)!;
      expect([r.ORDERDATE, r.CUSTOMERNAME, r.STATUS]).toEqual([first.ORDERDATE, first.CUSTOMERNAME, first.STATUS]);
    }
    expect(seen.size).toBeGreaterThan(ROWS / 20);
  });

  it('writes M/D/YYYY H:MM dates that exist, with QTR_ID, MONTH_ID and YEAR_ID agreeing, over more years than the sample', () => {
    const years = new Set<number>();
    for (const r of rows) {
      const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) \d{1,2}:\d{2}$/.exec(r.ORDERDATE!);
      expect(match, r.ORDERDATE).not.toBeNull();
      const [m, d, y] = [Number(match![1]), Number(match![2]), Number(match![3])];
      const date = new Date(Date.UTC(y, m - 1, d));
      expect([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]).toEqual([y, m, d]);
      expect([Number(r.YEAR_ID), Number(r.MONTH_ID), Number(r.QTR_ID)]).toEqual([y, m, Math.ceil(m / 3)]);
      years.add(y);
    }
    expect(years.size).toBeGreaterThanOrEqual(8);
  });

  it('keeps SALES the line revenue in cents, PRICEEACH capped at 100 as in the sample, and DEALSIZE its band', () => {
    const jittered = rows.filter((r) => cents(r.PRICEEACH!) % 100 !== 0).length;
    expect(jittered).toBeGreaterThan(ROWS / 2);
    for (const r of rows) {
      const quantity = Number(r.QUANTITYORDERED);
      expect(Number.isInteger(quantity) && quantity >= 1).toBe(true);
      const price = cents(r.PRICEEACH!);
      const sales = cents(r.SALES!);
      if (price < 100_00) expect(sales).toBe(quantity * price);
      else {
        expect(price).toBe(100_00);
        expect(sales).toBeGreaterThanOrEqual(quantity * 100_00);
        expect(sales % quantity).toBe(0); // a whole number of cents per unit
      }
      expect(r.DEALSIZE).toBe(dealSize(sales));
    }
  });

  it('writes money the way the sample does', () => {
    expect([287100, 276590, 388434, 100, 5, 0].map(formatCents)).toEqual(['2871', '2765.9', '3884.34', '1', '0.05', '0']);
  });

  it('gives a file the real pipeline loads with no rejects and no duplicates', async () => {
    const result = await run([join(dir, 'sales-1.csv')]);
    expect(result.quality.totals).toMatchObject({ read: ROWS, loaded: ROWS, rejected: 0, duplicates: 0 });
    expect(result.quality.files[0]!.encoding).toBe('cp850');
    expect(result.quality.checks.every((c) => c.passed)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------- cars

const CAR_ROWS = 60_000;
const carSample = readSample(generatorFor('cars'));
const carsFile = (seed: number, name = `cars-${seed}.csv`) => generateFile({ dataset: 'cars', rows: CAR_ROWS, seed, out: join(dir, name) });
const at = (name: string) => carSample.header.indexOf(name);
const LA = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  timeZoneName: 'short',
  hourCycle: 'h23',
  weekday: 'short',
  month: 'short',
  day: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
/** The instant a Pacific date string names (its offset applied), printed again the way the source writes dates. */
function reprinted(text: string): string {
  const m = /^\w{3} (\w{3}) (\d{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT-0(\d)00 \((PST|PDT)\)$/.exec(text);
  if (!m) return `not a JS date: ${text}`;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(m[1]!);
  const instant = Date.UTC(Number(m[3]), month, Number(m[2]), Number(m[4]) + Number(m[7]), Number(m[5]), Number(m[6]));
  const p = Object.fromEntries(LA.formatToParts(instant).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.month} ${p.day} ${p.year} ${p.hour}:${p.minute}:${p.second} GMT-0${p.timeZoneName === 'PDT' ? 7 : 8}00 (${p.timeZoneName})`;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let carBytes: Buffer;
let carRows: string[][];
beforeAll(async () => {
  carBytes = readFileSync((await carsFile(7)).file);
  const [head, ...records] = parse(carBytes.toString('utf8')) as string[][];
  expect(head).toEqual(carSample.header);
  carRows = records;
});

describe('cars generator', () => {
  it('gives the same bytes for a seed and other bytes for another seed', async () => {
    expect(readFileSync((await carsFile(7, 'cars-again.csv')).file).equals(carBytes)).toBe(true);
    expect(readFileSync((await carsFile(8)).file).equals(carBytes)).toBe(false);
  });

  it('writes the sample header and N rows, UTF-8 with CRLF line endings like the public file', () => {
    expect(carRows).toHaveLength(CAR_ROWS);
    expect(isUtf8(carBytes)).toBe(true);
    const text = carBytes.toString('utf8');
    expect(text.startsWith(`${carSample.header.join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(CAR_ROWS + 2);
    expect(text.replaceAll('\r\n', '').includes('\n')).toBe(false);
    expect(text).toContain('—');
  });

  it("keeps every quirk at the sample's rate: measured in the sample, not assumed", () => {
    const sample = countQuirks(carSample.header, carSample.rows);
    const generated = countQuirks(carSample.header, carRows);
    // Quirks a row carries by itself: shares within four standard errors of the sample's.
    const perRow = ['conditionTens', 'conditionOnes', 'conditionEmpty', 'makeLowercase', 'makeEmpty', 'bodyLowercase', 'transmissionEmpty', 'colorMarker', 'interiorMarker', 'stateLowercase', 'sellerDoubledSpace', 'priceUnder100', 'mmrUnder100'] as const;
    for (const quirk of perRow) {
      const p = sample[quirk] / sample.rows;
      expect(Math.abs(generated[quirk] / CAR_ROWS - p), quirk).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / CAR_ROWS) + 2 / CAR_ROWS);
    }
    expect(sample.conditionTens).toBeGreaterThan(0);
    expect(sample.makeLowercase).toBeGreaterThan(0);
    // Quirks added on top, at the sample's rate; the three the head lacks but the full file has, at one per head.
    const expected = (count: number) => (CAR_ROWS * count) / sample.rows;
    expect(sample).toMatchObject({ sameDayConflict: 4, exactDuplicate: 0, resale: 0, shifted: 0, bodyInTransmission: 0 });
    expect(Math.abs(generated.sameDayConflict - expected(sample.sameDayConflict))).toBeLessThanOrEqual(2);
    for (const quirk of ['resale', 'shifted', 'bodyInTransmission'] as const) {
      expect(Math.abs(generated[quirk] - expected(1)), quirk).toBeLessThanOrEqual(2);
    }
    expect(generated.exactDuplicate).toBe(0);
  });

  it('measures the rates of whatever sample it is given', () => {
    const r = (vin: string, day: string, price = '9000', transmission = 'automatic') =>
      ['2012', 'Ford', 'Escape', 'SE', 'SUV', transmission, vin, 'ca', '35', '51000', 'black', 'gray', 'ford motor credit', '9000', price, `Tue Dec ${day} 2014 12:30:00 GMT-0800 (PST)`];
    // 10 rows: a conflict, an exact duplicate, a resale, a shifted row and a body in the transmission column.
    const rows = [
      r('1fmcu0d70cu000001', '16'), r('1fmcu0d70cu000001', '16', '9100'), r('1fmcu0d70cu000002', '16'), r('1fmcu0d70cu000002', '16'),
      r('1fmcu0d70cu000003', '16'), r('1fmcu0d70cu000003', '23'), r('automatic', '16'), r('1fmcu0d70cu000004', '16', '9000', 'SUV'),
      r('1fmcu0d70cu000005', '16'), r('1fmcu0d70cu000006', '16'),
    ];
    expect(countQuirks(carSample.header, rows)).toMatchObject({ rows: 10, sameDayConflict: 1, exactDuplicate: 1, resale: 1, shifted: 1, bodyInTransmission: 1 });
    const generated = countQuirks(carSample.header, [...cars.resample({ header: carSample.header, rows }, mulberry32(3), 10_000)].map((line) => line.split(',')));
    for (const quirk of ['sameDayConflict', 'exactDuplicate', 'resale', 'shifted', 'bodyInTransmission'] as const) {
      expect(Math.abs(generated[quirk] - 1000), quirk).toBeLessThanOrEqual(2);
    }
  });

  it('gives new 17-character VINs, each (VIN, day) once but for the deliberate conflicts and duplicates', () => {
    const sampleVins = new Set(carSample.rows.map((row) => row[at('vin')]));
    const keys = new Set<string>();
    const vins = new Set<string>();
    let shifted = 0;
    for (const row of carRows) {
      const vin = row[at('vin')]!;
      if (!/^[a-z0-9]{17}$/.test(vin)) {
        // Shifted columns: the transmission where the VIN belongs, the VIN one column right.
        expect(vin).toMatch(/^(automatic|manual)$/);
        expect(row[at('vin') + 1]).toMatch(/^[a-z0-9]{17}$/);
        shifted++;
        continue;
      }
      expect(sampleVins.has(vin)).toBe(false);
      keys.add(`${vin} ${row[at('saledate')]!.slice(4, 15)}`);
      vins.add(vin);
    }
    const q = countQuirks(carSample.header, carRows);
    expect(shifted).toBe(q.shifted);
    expect(keys.size).toBe(CAR_ROWS - q.shifted - q.sameDayConflict - q.exactDuplicate);
    expect(vins.size).toBe(keys.size - q.resale);
  });

  it('writes sale dates as JavaScript does in Pacific time, PST or PDT as the date has it, beyond the sample range', () => {
    const days = new Set<string>();
    for (const row of carRows) {
      const date = row[at('saledate')]!;
      days.add(date.slice(0, 15));
    }
    // Each distinct day (with its time): the instant it names, printed by the platform's own time-zone data.
    const seen = new Map(carRows.map((row) => [row[at('saledate')]!.slice(0, 24), row[at('saledate')]!]));
    for (const date of seen.values()) expect(reprinted(date)).toBe(date);
    const time = (text: string) => Date.parse(text.slice(4, 15));
    const span = (rows: string[][]) => [Math.min(...rows.map((r) => time(r[at('saledate')]!))), Math.max(...rows.map((r) => time(r[at('saledate')]!)))];
    const [sampleFrom, sampleTo] = span(carSample.rows);
    const [from, to] = span(carRows);
    expect(from).toBeLessThan(sampleFrom!);
    expect(to).toBeGreaterThan(sampleTo!);
    expect(days.size).toBeGreaterThan(300);
    expect([...seen.values()].some((d) => d.endsWith('(PDT)')) && [...seen.values()].some((d) => d.endsWith('(PST)'))).toBe(true);
  });

  it('formats the daylight-time switches as a browser in California does', () => {
    const format = new PacificFormatter();
    const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000;
    const cases = [
      [day(2015, 3, 8), 1, 'Sun Mar 08 2015 01:30:00 GMT-0800 (PST)'],
      // 2:30 does not exist that night: clocks jump to 3:00.
      [day(2015, 3, 8), 2, 'Sun Mar 08 2015 03:30:00 GMT-0700 (PDT)'],
      [day(2015, 3, 8), 3, 'Sun Mar 08 2015 03:30:00 GMT-0700 (PDT)'],
      [day(2015, 11, 1), 0, 'Sun Nov 01 2015 00:30:00 GMT-0700 (PDT)'],
      [day(2015, 11, 1), 1, 'Sun Nov 01 2015 01:30:00 GMT-0700 (PDT)'],
      [day(2015, 11, 1), 2, 'Sun Nov 01 2015 02:30:00 GMT-0800 (PST)'],
      [day(2014, 12, 16), 12, 'Tue Dec 16 2014 12:30:00 GMT-0800 (PST)'],
      [day(2016, 7, 4), 23, 'Mon Jul 04 2016 23:30:00 GMT-0700 (PDT)'],
    ] as const;
    for (const [d, hour, want] of cases) {
      expect(format.format({ day: d, hour, rest: '30:00' })).toBe(want);
      expect(reprinted(want)).toBe(want);
    }
    expect(parsePacific('Tue Dec 16 2014 12:30:00 GMT-0800 (PST)')).toEqual({ day: day(2014, 12, 16), hour: 12, rest: '30:00' });
  });

  it('moves MMR and price together, on the grains the sample uses, and keeps placeholders as they are', () => {
    const ratio = (rows: string[][]) => median(rows.filter((r) => Number(r[at('mmr')]) >= 100).map((r) => Number(r[at('sellingprice')]) / Number(r[at('mmr')])));
    expect(Math.abs(ratio(carRows) - ratio(carSample.rows))).toBeLessThan(0.02);
    const logs = carRows.filter((r) => Number(r[at('mmr')]) >= 100 && Number(r[at('sellingprice')]) >= 100).map((r) => [Math.log(Number(r[at('mmr')])), Math.log(Number(r[at('sellingprice')]))] as const);
    const mean = (k: 0 | 1) => logs.reduce((s, x) => s + x[k], 0) / logs.length;
    const [mx, my] = [mean(0), mean(1)];
    const cov = logs.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
    const sd = (k: 0 | 1, m: number) => Math.sqrt(logs.reduce((s, x) => s + (x[k] - m) ** 2, 0));
    expect(cov / (sd(0, mx) * sd(1, my))).toBeGreaterThan(0.9);
    for (const row of carRows) {
      const mmr = Number(row[at('mmr')]);
      expect(Number.isInteger(mmr) && mmr % 25 === 0, row.join(',')).toBe(true);
    }
    const prices = carRows.map((r) => Number(r[at('sellingprice')]));
    expect(new Set(prices.filter((p) => p < 100))).toEqual(new Set(carSample.rows.map((r) => Number(r[at('sellingprice')])).filter((p) => p < 100)));
    expect([movePrice(1, 1.1), movePrice(25, 0.5), movePrice(105, 0.9), movePrice(20_500, 1.013), movePrice(9_950, 1.0)]).toEqual([1, 25, 100, 20_800, 9_950]);
    expect([grain(20_500), grain(9_950), grain(1_675), grain(1_234)]).toEqual([100, 50, 25, 1]);
  });

  it('jitters the odometer around the sample’s', () => {
    const miles = (rows: string[][]) => median(rows.filter((r) => r[at('odometer')] !== '').map((r) => Number(r[at('odometer')])));
    expect(Math.abs(miles(carRows) / miles(carSample.rows) - 1)).toBeLessThan(0.05);
    const original = new Set(carSample.rows.map((r) => r[at('odometer')]));
    expect(carRows.filter((r) => !original.has(r[at('odometer')])).length).toBeGreaterThan(CAR_ROWS / 2);
  });
});
