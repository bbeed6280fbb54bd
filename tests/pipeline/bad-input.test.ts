/**
 * Bad input: each case either stops with a message naming the file, line and column and saying what to do,
 * or loads with the bad rows rejected for a stated reason. Every row read is accounted for. Both are settled once
 * the rows are cleaned, so each case runs the pipeline that far, as `npm run check` does.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../pipeline/errors.ts';
import { sampleRecords, toCsv } from '../helpers/csv.ts';
import { check, tempFile, type Run } from '../helpers/pipeline.ts';

const records = sampleRecords().slice(0, 201); // header + 200 rows: fast, and 1 bad row stays under the 5% threshold
const header = records[0]!;
const col = (name: string) => header.indexOf(name);
const edit = (row: number, column: string, value: string) => records.map((r, n) => (n === row ? r.map((c, k) => (k === col(column) ? value : c)) : r));

function expectAccounted(r: Run) {
  for (const f of r.quality.files) expect(f.read).toBe(f.loaded + f.rejected + f.duplicates);
  const t = r.quality.totals;
  expect(t.read).toBe(t.loaded + t.rejected + t.duplicates);
}

async function failure(content: string | Uint8Array, name = 'bad.csv'): Promise<UserError> {
  const error = await check([tempFile(name, content)]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('files that cannot be used stop with a clear message', () => {
  it('empty file', async () => {
    const e = await failure('', 'empty.csv');
    expect(e.message).toMatch(/empty/);
    expect(e.where).toMatchObject({ line: 1 });
    expect(e.where.file).toMatch(/empty\.csv$/);
    expect(e.fix).toMatch(/header row/);
  });

  it('header only', async () => {
    const e = await failure(toCsv([header]), 'header-only.csv');
    expect(e.message).toMatch(/no rows could be loaded \(0 read\)/);
    expect(e.fix).toMatch(/no data rows/);
  });

  it('a missing required column', async () => {
    const without = records.map((r) => r.filter((_, k) => k !== col('SALES')));
    const e = await failure(toCsv(without), 'no-sales.csv');
    expect(e.message).toMatch(/required column missing from the header: SALES/);
    expect(e.where).toMatchObject({ line: 1, column: 'SALES' });
    expect(e.fix).toMatch(/add this column/);
  });

  it('a file that is not this dataset (no known header)', async () => {
    const e = await failure('<html><body>Not found</body></html>\n', 'page.csv');
    expect(e.message).toMatch(/not a header this dataset knows/);
  });

  it('a byte that is not UTF-8 in an otherwise UTF-8 file', async () => {
    const text = toCsv(edit(3, 'CUSTOMERNAME', 'Café Ünïcode'));
    const bytes = Buffer.concat([Buffer.from(text.slice(0, text.indexOf('\n', text.indexOf('\n') + 1) + 1)), Buffer.of(0x84), Buffer.from(text.slice(text.indexOf('\n', text.indexOf('\n') + 1) + 1))]);
    const e = await failure(bytes, 'mixed.csv');
    expect(e.message).toMatch(/mixed text encodings.*0x84/);
    expect(e.where).toMatchObject({ line: 3 });
  });

  it('a UTF-8 file whose first byte of another encoding comes megabytes after its accents', async () => {
    // The file is read in 1 MB chunks: the accents and the stray byte must count together, or the whole file
    // is taken for cp850 and its UTF-8 accents silently turn into box-drawing characters.
    const accented = toCsv(edit(1, 'CUSTOMERNAME', 'Café Ünïcode'));
    const [head, ...lines] = accented.trimEnd().split('\n');
    // ASCII rows only: a chunk with an accent of its own would give the mix away whatever came before.
    const ascii = lines.slice(1).filter((l) => /^[\x20-\x7e]*$/.test(l));
    const filler = Array.from({ length: Math.ceil(20000 / ascii.length) }, () => ascii).flat();
    const text = `${[head, lines[0], ...filler].join('\n')}\n`;
    // A last line "J\x82": é in cp850.
    const bytes = Buffer.concat([Buffer.from(text), Buffer.of(0x4a, 0x82, 0x0a)]);
    expect(bytes.indexOf(0x82), 'the stray byte is past the first megabyte').toBeGreaterThan(2 << 20);
    const e = await failure(bytes, 'late-stray-byte.csv');
    expect(e.message).toMatch(/mixed text encodings.*0x82/);
    expect(e.where).toMatchObject({ line: filler.length + 3 });
  });

  it('too many rejects', async () => {
    const broken = records.map((r, n) => (n > 0 && n <= 20 ? r.map((c, k) => (k === col('SALES') ? 'n/a' : c)) : r));
    const e = await failure(toCsv(broken));
    expect(e.message).toMatch(/too many rejected rows: 20 \(10%\), over the limit of 5%/);
    expect(e.message).toMatch(/20 × SALES: not a number.*line 2\)/);
  });
});

describe('bad rows are rejected with a reason and the rest load', () => {
  const cases: [string, () => string, { line: number; column: string | null; reason: RegExp }][] = [
    ['non-numeric SALES', () => toCsv(edit(5, 'SALES', 'lots')), { line: 6, column: 'SALES', reason: /not a number/ }],
    ['unparseable date', () => toCsv(edit(7, 'ORDERDATE', 'yesterday')), { line: 8, column: 'ORDERDATE', reason: /not a date/ }],
    ['impossible date', () => toCsv(edit(7, 'ORDERDATE', '2/30/2004 0:00')), { line: 8, column: 'ORDERDATE', reason: /not a date/ }],
    ['missing required value', () => toCsv(edit(9, 'CUSTOMERNAME', '  ')), { line: 10, column: 'CUSTOMERNAME', reason: /missing value/ }],
    ['unknown status', () => toCsv(edit(4, 'STATUS', 'Lost')), { line: 5, column: 'STATUS', reason: /not an accepted value/ }],
    ['negative quantity', () => toCsv(edit(4, 'QUANTITYORDERED', '-3')), { line: 5, column: 'QUANTITYORDERED', reason: /below the minimum of 1/ }],
    ['fractional quantity', () => toCsv(edit(4, 'QUANTITYORDERED', '2.5')), { line: 5, column: 'QUANTITYORDERED', reason: /not a whole number/ }],
    ['MONTH_ID disagreeing with ORDERDATE', () => toCsv(edit(4, 'MONTH_ID', '12')), { line: 5, column: 'MONTH_ID', reason: /MONTH_ID disagrees/ }],
    [
      'a row with too many fields',
      () => toCsv(records).replace(/\n/g, (m, offset, all) => (all.slice(0, offset).split('\n').length === 11 ? ',extra\n' : m)),
      { line: 11, column: null, reason: /too many fields/ },
    ],
    [
      'a row with too few fields',
      () => toCsv(records.map((r, n) => (n === 12 ? r.slice(0, 10) : r))),
      { line: 13, column: 'PRODUCTLINE', reason: /too few fields/ },
    ],
    [
      'a key already used with other values',
      () => toCsv(records.map((r, n) => (n === 30 ? records[2]!.map((c, k) => (k === col('SALES') ? '1.00' : c)) : r))),
      { line: 31, column: 'ORDERNUMBER, ORDERLINENUMBER', reason: /duplicate key: line 3 has the same/ },
    ],
  ];

  it.each(cases)('%s', async (_name, make, expected) => {
    const r = await check([tempFile('bad.csv', make())]);
    expectAccounted(r);
    expect(r.quality.totals).toMatchObject({ read: 200, loaded: 199, rejected: 1 });
    expect(r.quality.rejects).toHaveLength(1);
    const [reject] = r.quality.rejects;
    expect(reject).toMatchObject({ file: 'bad.csv', line: expected.line });
    expect(reject!.column ?? null).toBe(expected.column);
    expect(reject!.reason).toMatch(expected.reason);
  });

  it('gives the right line to rows after an unparseable one', async () => {
    const text = toCsv(records.map((r, n) => (n === 10 ? [...r, 'extra'] : n === 50 ? r.map((c, k) => (k === col('SALES') ? 'x' : c)) : r)));
    const r = await check([tempFile('two.csv', text)]);
    expect(r.quality.rejects.map((x) => x.line)).toEqual([11, 51]);
    expectAccounted(r);
  });

  it('removes exact duplicate rows and counts them', async () => {
    const r = await check([tempFile('dups.csv', toCsv([...records, records[5]!, records[6]!]))]);
    expect(r.quality.totals).toMatchObject({ read: 202, loaded: 200, rejected: 0, duplicates: 2 });
    expectAccounted(r);
  });

  it('loads an extra column it does not know, and says so', async () => {
    const r = await check([tempFile('extra.csv', toCsv(records.map((r, n) => [...r, n === 0 ? 'NOTES' : 'note'])))]);
    expect(r.quality.totals).toMatchObject({ read: 200, loaded: 200 });
    expect(r.quality.files[0]!.extra_columns).toEqual(['NOTES']);
  });

  it('loads a missing optional column as empty, and says so', async () => {
    const r = await check([tempFile('no-phone.csv', toCsv(records.map((r) => r.filter((_, k) => k !== col('PHONE')))))]);
    expect(r.quality.totals).toMatchObject({ read: 200, loaded: 200 });
    expect(r.quality.files[0]!.missing_columns).toEqual(['PHONE']);
  });

  it('accounts for several files separately', async () => {
    const a = tempFile('a.csv', toCsv(records.slice(0, 101)));
    const b = tempFile('b.csv', toCsv([header, ...records.slice(101), records[101]!]));
    const r = await check([a, b]);
    expect(r.quality.files.map((f) => [f.file, f.read, f.loaded, f.duplicates])).toEqual([
      ['a.csv', 100, 100, 0],
      ['b.csv', 101, 100, 1],
    ]);
    expectAccounted(r);
  });
});
