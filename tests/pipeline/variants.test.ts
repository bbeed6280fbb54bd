/**
 * The same orders written the ways other copies of the sample come: other encodings, delimiters, line
 * endings and date formats. Every variant must give the same KPIs as the publisher's file.
 */
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, inject, it } from 'vitest';
import { dateParts, mapColumn, pad2, sampleRecords, toCsv } from '../helpers/csv.ts';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import { readJson, run, tempFile } from '../helpers/pipeline.ts';

// The bundled sample's KPIs, from the run's shared outputs.
const reference = readJson(join(inject('outputs'), 'api/sales/kpis.json'));

const records = sampleRecords();
const withDates = (f: (p: ReturnType<typeof dateParts>, row: number) => string) => mapColumn(records, 'ORDERDATE', (v, row) => f(dateParts(v), row));

const variants: [string, () => string | Uint8Array][] = [
  ['UTF-8 with BOM and CRLF', () => `\uFEFF${toCsv(records, { newline: '\r\n' })}`],
  ['UTF-8 without BOM, no final newline', () => toCsv(records, { finalNewline: false })],
  ['semicolon-delimited', () => toCsv(records, { delimiter: ';' })],
  ['tab-delimited cp1252', () => iconv.encode(toCsv(records, { delimiter: '\t' }), 'cp1252')],
  ['UTF-16LE with BOM', () => Buffer.concat([Buffer.of(0xff, 0xfe), iconv.encode(toCsv(records), 'utf-16le')])],
  ['2-digit years (2/24/03 0:00)', () => toCsv(withDates(({ m, d, y }) => `${m}/${d}/${String(y).slice(2)} 0:00`))],
  ['zero-padded dates (02/24/2003)', () => toCsv(withDates(({ m, d, y }) => `${pad2(m)}/${pad2(d)}/${y}`))],
  ['ISO dates (2003-02-24)', () => toCsv(withDates(({ m, d, y }) => `${y}-${pad2(m)}-${pad2(d)}`))],
  ['dashed dates (02-24-2003)', () => toCsv(withDates(({ m, d, y }) => `${pad2(m)}-${pad2(d)}-${y}`))],
  ['day-first dates (24/02/2003)', () => toCsv(withDates(({ m, d, y }) => `${d}/${m}/${y}`))],
  [
    'several date formats mixed in one file',
    () => toCsv(withDates(({ m, d, y }, row) => [`${m}/${d}/${y} 0:00`, `${m}/${d}/${String(y).slice(2)} 0:00`, `${pad2(m)}/${pad2(d)}/${y}`, `${y}-${pad2(m)}-${pad2(d)}`, `${pad2(m)}-${pad2(d)}-${y}`][row % 5]!)),
  ],
  [
    'reordered columns with renamed headers in other case',
    () => {
      const order = [...records[0]!.keys()].reverse();
      const renamed = records.map((r, n) => order.map((i) => (n === 0 ? r[i]!.toLowerCase().replace('orderdate', 'Order Date') : r[i]!)));
      return toCsv(renamed);
    },
  ],
];

describe.each(variants)('%s', (_name, make) => {
  it('gives the same KPIs and loads every row', async () => {
    const r = await run([tempFile('variant.csv', make())]);
    const kpis = readJson(join(r.outDir, 'api/sales/kpis.json'));
    expect(kpis.measures).toEqual(reference.measures);
    expect(kpis.unfiltered).toEqual(reference.unfiltered);
    expect(kpis.growth).toEqual(reference.growth);
    expect(r.quality.totals).toMatchObject({ read: 2823, loaded: 2823, rejected: 0, duplicates: 0 });
  });
});

it('reads day-first dates as day-first even when MONTH_ID is the only evidence', async () => {
  // Keep only rows whose day is 12 or less: the numbers alone cannot tell 3/4 from 4/3.
  const ambiguous = [records[0]!, ...records.slice(1).filter((r) => dateParts(r[5]!).d <= 12)];
  const dayFirst = mapColumn(ambiguous, 'ORDERDATE', (v) => {
    const { m, d, y } = dateParts(v);
    return `${d}/${m}/${y}`;
  });
  const r = await run([tempFile('dmy.csv', toCsv(dayFirst))]);
  expect(r.quality.totals.rejected).toBe(0);
  expect(r.quality.totals.loaded).toBe(ambiguous.length - 1);
});

it('reads month-first dates as month-first when MONTH_ID is the only evidence, whatever the declaration says', async () => {
  // The same rows as written (month first), with the declaration saying day-first: MONTH_ID, not the declaration, decides.
  const ambiguous = [records[0]!, ...records.slice(1).filter((r) => dateParts(r[5]!).d <= 12)];
  const dataset = loadDataset('sales');
  dataset.spec.dateOrder = 'DMY';
  const r = await run([tempFile('mdy.csv', toCsv(ambiguous))], { dataset });
  expect(r.quality.totals.rejected).toBe(0);
  expect(r.quality.totals.loaded).toBe(ambiguous.length - 1);
});
