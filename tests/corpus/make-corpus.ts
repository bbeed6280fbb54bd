/**
 * Writes the bad-input corpus: each case's bytes and, beside it, <name>.expected.json with the outcome the
 * pipeline must give. The expectations are written here by hand (never taken from a pipeline run).
 * Run with `node tests/corpus/make-corpus.ts` (Node from node_modules/.bin); the files are committed, so the tests do not need this.
 *
 * Expected outcome: {"error": {"message": regex, "line"?, "column"?}} or {"read", "loaded", "rejected",
 * "duplicates", "rejects": [{"line", "column", "reason": regex}]}, plus optional checks: "encoding",
 * "delimiter", "extra_columns", "missing_columns", "values" (a clean column's values in line order) and
 * "options" ({"maxRejectedPct"}: the corpus test otherwise raises the threshold so that rejects are visible).
 */
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';

const here = dirname(fileURLToPath(import.meta.url));
const records = parse(iconv.decode(readFileSync(join(here, '..', '..', 'data', 'sales_data_sample.csv')), 'cp850'), { relax_column_count: true }) as string[][];
const header = records[0]!;
const col = (name: string) => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(name);
  return i;
};
/** Six plain rows (keys all different, dates month-first: 2/24/2003) and three with non-ASCII letters. */
const plain = records.slice(1, 7);
const accented = [records[28]!, records[29]!, records[115]!]; // Berguvsvägen, Martín, Cataluña
const set = (row: string[], column: string, value: string) => row.map((c, k) => (k === col(column) ? value : c));

function csv(rows: string[][], { d = ',', nl = '\n', final = true, head = header } = {}): string {
  // Given a record delimiter, csv-stringify no longer quotes a lone \n or \r unless told to.
  return stringify([head, ...rows], { delimiter: d, record_delimiter: nl, quote_record_delimiter: true, eof: final });
}

type Reject = { line: number; column: string | null; reason: string };
type Expected =
  | { error: { message: string; line?: number; column?: string } }
  | {
      read: number;
      loaded: number;
      rejected: number;
      duplicates: number;
      rejects: Reject[];
      encoding?: string;
      delimiter?: string;
      extra_columns?: string[];
      missing_columns?: string[];
      values?: Record<string, unknown[]>;
      options?: { maxRejectedPct?: number };
      /** The dataset the file belongs to (default sales). */
      dataset?: string;
    };
const ok = (n: number, more: Partial<Extract<Expected, { read: number }>> = {}): Expected => ({ read: n, loaded: n, rejected: 0, duplicates: 0, rejects: [], ...more });

const cases: [string, string | Uint8Array, Expected][] = [];
const add = (name: string, content: string | Uint8Array, expected: Expected) => cases.push([name, content, expected]);

const nonAscii = [...plain.slice(0, 3), ...accented];
const addresses = { address_line1: nonAscii.map((r) => r[col('ADDRESSLINE1')]), contact_first_name: nonAscii.map((r) => r[col('CONTACTFIRSTNAME')]) };

// --- encodings ---
add('utf8-lf.csv', csv(nonAscii), ok(6, { encoding: 'utf-8', delimiter: ',', values: addresses }));
add('utf8-bom-crlf.csv', '\uFEFF' + csv(nonAscii, { nl: '\r\n' }), ok(6, { encoding: 'utf-8', values: addresses }));
add('cp850.csv', iconv.encode(csv(nonAscii), 'cp850'), ok(6, { encoding: 'cp850', values: addresses }));
{
  const rows = [set(plain[0]!, 'CUSTOMERNAME', 'Müller Señor Café'), set(plain[1]!, 'CITY', 'Zürich'), plain[2]!];
  add('cp1252.csv', iconv.encode(csv(rows), 'cp1252'), ok(3, { encoding: 'cp1252', values: { customer_name: rows.map((r) => r[col('CUSTOMERNAME')]), city: rows.map((r) => r[col('CITY')]) } }));
}
add('utf16le-bom.csv', Buffer.concat([Buffer.of(0xff, 0xfe), iconv.encode(csv(nonAscii), 'utf-16le')]), ok(6, { encoding: 'utf-16le', values: addresses }));
add('utf16be-bom.csv', Buffer.concat([Buffer.of(0xfe, 0xff), iconv.encode(csv(nonAscii), 'utf-16be')]), ok(6, { encoding: 'utf-16be', values: addresses }));
add('utf16le-nobom.csv', iconv.encode(csv(nonAscii, { nl: '\r\n' }), 'utf-16le'), ok(6, { encoding: 'utf-16le', values: addresses }));
{
  const text = csv(nonAscii);
  const cut = text.indexOf('\n', text.indexOf('\n', text.indexOf('\n') + 1) + 1) + 1; // after line 3
  add('mixed-utf8-cp850.csv', Buffer.concat([Buffer.from(text.slice(0, cut)), iconv.encode('10999,1,1,1,1,2/24/2003,Shipped,1,2,2003,Ships,1,S1,Caf\u00e9 Ltd,,,,Paris,,,France,EMEA,,,Small\n', 'cp850'), Buffer.from(text.slice(cut))]), {
    error: { message: 'mixed text encodings.*0x82', line: 4 },
  });
}

// --- delimiters ---
add('semicolon.csv', csv(plain, { d: ';' }), ok(6, { delimiter: ';' }));
add('tab.tsv', csv(nonAscii, { d: '\t' }), ok(6, { delimiter: '\t', values: addresses }));
add('pipe.csv', csv(plain, { d: '|' }), ok(6, { delimiter: '|' }));

// --- line endings ---
add('crlf.csv', csv(plain, { nl: '\r\n' }), ok(6));
add('cr-only.csv', csv(plain, { nl: '\r' }), ok(6));
add('no-final-newline.csv', csv(plain, { final: false }), ok(6));
add('crlf-no-final-newline.csv', csv(plain, { nl: '\r\n', final: false }), ok(6));
// One lone \n among \r\n line ends: DuckDB refuses the file as a whole, which must be a clear error.
add('mixed-line-endings.csv', csv(plain, { nl: '\r\n' }).replace('Paul,Small\r\n', 'Paul,Small\n'), { error: { message: 'the file cannot be split into rows' } });
add('blank-lines.csv', csv(plain).replace(/\n/g, (m, at: number, all: string) => (all.slice(0, at).split('\n').length === 3 ? '\n\n' : m)) + '\n\n', {
  // A blank line is not a record; the rows after it keep their own line numbers.
  ...ok(6),
  values: { line: [2, 3, 5, 6, 7, 8] },
});

// --- empty and header-only ---
add('empty.csv', '', { error: { message: 'the file is empty', line: 1 } });
add('only-newlines.csv', '\n\n\n', { error: { message: 'the file is empty', line: 1 } });
add('header-only.csv', csv([]), { error: { message: 'no rows could be loaded \\(0 read\\)' } });
add('header-only-no-newline.csv', header.join(','), { error: { message: 'no rows could be loaded \\(0 read\\)' } });

// --- headers ---
{
  const drop = (name: string) => (r: string[]) => r.filter((_, k) => k !== col(name));
  add('missing-required-column.csv', csv(plain.map(drop('SALES')), { head: drop('SALES')(header) }), {
    error: { message: 'required column missing from the header: SALES', line: 1, column: 'SALES' },
  });
  add('missing-optional-column.csv', csv(plain.map(drop('PHONE')), { head: drop('PHONE')(header) }), ok(6, { missing_columns: ['PHONE'] }));
  add('extra-columns.csv', csv(plain.map((r) => ['x', ...r, 'note']), { head: ['ROW_ID', ...header, 'NOTES'] }), ok(6, { extra_columns: ['ROW_ID', 'NOTES'] }));
  const order = [...header.keys()].reverse();
  add('reordered-columns.csv', csv(plain.map((r) => order.map((k) => r[k]!)), { head: order.map((k) => header[k]!) }), ok(6, { values: { sales: plain.map((r) => Number(r[col('SALES')])) } }));
  const renamed = header.map((h, k) => (k % 3 === 0 ? h.toLowerCase() : k % 3 === 1 ? ` ${h[0]}${h.slice(1).toLowerCase()} ` : h.replace(/ID$/, '_Id')));
  renamed[col('ORDERNUMBER')] = 'Order Number';
  renamed[col('ORDERDATE')] = 'order_date';
  renamed[col('CUSTOMERNAME')] = 'Customer Name';
  add('renamed-headers.csv', csv(plain, { head: renamed }), ok(6, { extra_columns: [] }));
  const twice = [...header];
  twice[col('PHONE')] = 'sales';
  add('duplicate-header.csv', csv(plain, { head: twice }), { error: { message: 'the column "sales" appears twice in the header', line: 1 } });
  add('headerless.csv', csv(plain).split('\n').slice(1).join('\n'), { error: { message: 'not a header this dataset knows', line: 1 } });
}

// --- quoting ---
{
  const rows = [set(plain[0]!, 'ADDRESSLINE2', 'Suite 5\nBuilding B'), set(plain[1]!, 'CUSTOMERNAME', 'The "Best" Toys, Inc.'), set(plain[2]!, 'ADDRESSLINE2', 'a\r\nb\r\nc'), ...plain.slice(3)];
  // Rows 2 and 4 span several lines: the rows after them start further down.
  add('quoted-newlines-and-quotes.csv', csv(rows), ok(6, { values: { line: [2, 4, 5, 8, 9, 10], customer_name: rows.map((r) => r[col('CUSTOMERNAME')]), address_line2: rows.map((r) => r[col('ADDRESSLINE2')] || null) } }));
  const bad = [...plain.slice(0, 2), set(plain[2]!, 'ADDRESSLINE2', 'x\ny'), set(plain[3]!, 'SALES', 'lots'), ...plain.slice(4)];
  add('reject-after-multiline.csv', csv(bad), { read: 6, loaded: 5, rejected: 1, duplicates: 0, rejects: [{ line: 6, column: 'SALES', reason: 'not a number' }] });
  const text = csv(plain).split('\n');
  text[3] = text[3]!.replace('Lyon Souveniers', 'Lyon "Souveniers"');
  // A quote inside an unquoted value is taken as it is (as most CSV readers do).
  add('quote-in-unquoted-field.csv', text.join('\n'), ok(6, { values: { customer_name: plain.map((r) => r[col('CUSTOMERNAME')]!.replace('Lyon Souveniers', 'Lyon "Souveniers"')) } }));
  const unclosed = csv(plain).split('\n');
  unclosed[2] = unclosed[2]!.replace('Reims Collectables', '"Reims Collectables');
  // The quote opened on line 3 never closes: by CSV's rules lines 3-7 are one record, rejected as a whole,
  // and the reason says how many lines it took.
  add('unclosed-quote.csv', unclosed.join('\n'), { read: 2, loaded: 1, rejected: 1, duplicates: 0, rejects: [{ line: 3, column: 'CUSTOMERNAME', reason: 'an unclosed quote.*taking 5 line' }] });
}
// A NUL byte is kept as a character of its value (DuckDB reads it; nothing downstream breaks on it).
add('nul-bytes.csv', csv([set(plain[0]!, 'PHONE', '212\u0000555'), ...plain.slice(1)]), ok(6, { values: { phone: ['212\u0000555', ...plain.slice(1).map((r) => r[col('PHONE')])] } }));

// --- values ---
add(
  'currency-thousands.csv',
  csv([set(set(plain[0]!, 'SALES', '$2,871.00'), 'PRICEEACH', '$95.70'), set(plain[1]!, 'SALES', '2,765.90'), set(plain[2]!, 'SALES', '3,88,4.34'), set(plain[3]!, 'SALES', '3746.7 USD'), set(plain[4]!, 'SALES', '-$5,205.27'), plain[5]!]),
  {
    read: 6,
    loaded: 3,
    rejected: 3,
    duplicates: 0,
    rejects: [
      { line: 4, column: 'SALES', reason: 'not a number' },
      { line: 5, column: 'SALES', reason: 'not a number' },
      { line: 6, column: 'SALES', reason: 'below the minimum of 0' },
    ],
    values: { sales: [2871, 2765.9, 3479.76], price_each: [95.7, 81.35, 96.66] },
  },
);
add('negative-and-zero-quantity.csv', csv([set(plain[0]!, 'QUANTITYORDERED', '0'), set(plain[1]!, 'QUANTITYORDERED', '-3'), set(plain[2]!, 'QUANTITYORDERED', '+7'), set(plain[3]!, 'QUANTITYORDERED', '2.5'), ...plain.slice(4)]), {
  read: 6,
  loaded: 3,
  rejected: 3,
  duplicates: 0,
  rejects: [
    { line: 2, column: 'QUANTITYORDERED', reason: 'below the minimum of 1' },
    { line: 3, column: 'QUANTITYORDERED', reason: 'below the minimum of 1' },
    { line: 5, column: 'QUANTITYORDERED', reason: 'not a whole number' },
  ],
});
{
  const date = (r: string[], d: string, y?: string) => (y ? set(set(r, 'ORDERDATE', d), 'YEAR_ID', y) : set(r, 'ORDERDATE', d));
  add(
    'impossible-dates.csv',
    csv([date(plain[0]!, '2/30/2004 0:00', '2004'), date(plain[1]!, '2/29/2003'), date(plain[2]!, '7/1/1850 0:00', '1850'), date(plain[3]!, '8/25/20003 0:00'), date(plain[4]!, '0/10/2003'), date(plain[5]!, '10/28/03')]),
    {
      read: 6,
      loaded: 1,
      rejected: 5,
      duplicates: 0,
      rejects: [
        { line: 2, column: 'ORDERDATE', reason: 'not a date' },
        { line: 3, column: 'ORDERDATE', reason: 'not a date' },
        { line: 4, column: 'YEAR_ID', reason: 'below the minimum of 1900' },
        { line: 5, column: 'ORDERDATE', reason: 'not a date' },
        { line: 6, column: 'ORDERDATE', reason: 'not a date' },
      ],
      values: { order_date: ['2003-10-28'] },
    },
  );
  add('year-disagrees.csv', csv([set(plain[0]!, 'YEAR_ID', '2030'), set(plain[1]!, 'YEAR_ID', '99999'), ...plain.slice(2)]), {
    read: 6,
    loaded: 4,
    rejected: 2,
    duplicates: 0,
    rejects: [
      { line: 2, column: 'YEAR_ID', reason: 'YEAR_ID disagrees' },
      { line: 3, column: 'YEAR_ID', reason: 'above the maximum of 2100' },
    ],
  });
  const iso = [date(plain[0]!, '2003-02-24'), date(plain[1]!, '05/07/2003'), date(plain[2]!, '07-01-2003'), date(plain[3]!, '8/25/03'), ...plain.slice(4)];
  add('mixed-date-forms.csv', csv(iso), ok(6, { values: { order_date: ['2003-02-24', '2003-05-07', '2003-07-01', '2003-08-25', '2003-10-10', '2003-10-28'] } }));
  const dmy = plain.map((r) => {
    const [m, d, y] = r[col('ORDERDATE')]!.split(' ')[0]!.split('/');
    return date(r, `${d}/${m}/${y}`);
  });
  add('day-first.csv', csv(dmy), ok(6, { values: { order_date: ['2003-02-24', '2003-05-07', '2003-07-01', '2003-08-25', '2003-10-10', '2003-10-28'] } }));
  const ambiguous = [date(set(plain[1]!, 'MONTH_ID', ''), '5/7/2003')];
  add('ambiguous-date-order.csv', csv(ambiguous), { error: { message: 'cannot tell whether dates are month-first or day-first', column: 'ORDERDATE' } });
}
add('missing-values.csv', csv([set(plain[0]!, 'CUSTOMERNAME', '   '), set(plain[1]!, 'STATUS', ''), set(plain[2]!, 'PHONE', ''), header.map(() => ''), ...plain.slice(3)]), {
  read: 7,
  loaded: 4,
  rejected: 3,
  duplicates: 0,
  rejects: [
    { line: 2, column: 'CUSTOMERNAME', reason: 'missing value' },
    { line: 3, column: 'STATUS', reason: 'missing value' },
    { line: 5, column: 'ORDERNUMBER', reason: 'missing value' },
  ],
});
add('unknown-values.csv', csv([set(plain[0]!, 'STATUS', 'shipped'), set(plain[1]!, 'TERRITORY', 'N/A'), set(plain[2]!, 'DEALSIZE', 'Huge'), ...plain.slice(3)]), {
  read: 6,
  loaded: 3,
  rejected: 3,
  duplicates: 0,
  rejects: [
    { line: 2, column: 'STATUS', reason: 'not an accepted value' },
    { line: 3, column: 'TERRITORY', reason: 'not an accepted value' },
    { line: 4, column: 'DEALSIZE', reason: 'not an accepted value' },
  ],
});
add('padded-values.csv', csv(plain.map((r) => r.map((c) => (c ? `  ${c} ` : c)))), ok(6, { values: { status: plain.map((r) => r[col('STATUS')]) } }));

// --- duplicates ---
add('duplicate-keys.csv', csv([...plain, set(plain[1]!, 'SALES', '1.00'), set(plain[4]!, 'STATUS', 'Cancelled')]), {
  read: 8,
  loaded: 6,
  rejected: 2,
  duplicates: 0,
  rejects: [
    { line: 8, column: 'ORDERNUMBER, ORDERLINENUMBER', reason: 'duplicate key: line 3 has the same' },
    { line: 9, column: 'ORDERNUMBER, ORDERLINENUMBER', reason: 'duplicate key: line 6 has the same' },
  ],
});
add('exact-duplicates.csv', csv([...plain, plain[0]!, plain[0]!, plain[3]!]), { read: 9, loaded: 6, rejected: 0, duplicates: 3, rejects: [] });
add('duplicate-after-reject.csv', csv([set(plain[0]!, 'SALES', 'x'), ...plain.slice(1), set(plain[0]!, 'SALES', 'x')]), {
  // The second copy of a rejected row is an exact duplicate: counted once as a duplicate, the first rejected.
  read: 7,
  loaded: 5,
  rejected: 1,
  duplicates: 1,
  rejects: [{ line: 2, column: 'SALES', reason: 'not a number' }],
});

// --- broken rows ---
{
  const lines = csv(plain).split('\n');
  const last = lines[6]!;
  add('truncated-last-line.csv', [...lines.slice(0, 6), last.slice(0, Math.floor(last.length / 2))].join('\n'), {
    read: 6,
    loaded: 5,
    rejected: 1,
    duplicates: 0,
    rejects: [{ line: 7, column: 'PHONE', reason: 'too few fields' }],
  });
  const quoted = csv([...plain.slice(0, 5), records[28]!]).split('\n');
  const q = quoted[6]!;
  add('truncated-inside-quotes.csv', [...quoted.slice(0, 6), q.slice(0, q.indexOf('"Volvo') + 8)].join('\n'), {
    read: 6,
    loaded: 5,
    rejected: 1,
    duplicates: 0,
    rejects: [{ line: 7, column: 'CUSTOMERNAME', reason: 'an unclosed quote.*taking 1 line' }],
  });
  const fields = [...lines];
  fields[2] += ',extra';
  fields[4] = fields[4]!.split(',').slice(0, 20).join(',');
  add('wrong-field-counts.csv', fields.join('\n'), {
    read: 6,
    loaded: 4,
    rejected: 2,
    duplicates: 0,
    rejects: [
      { line: 3, column: null, reason: 'too many fields' },
      { line: 5, column: 'COUNTRY', reason: 'too few fields' },
    ],
  });
}
add('threshold-exceeded.csv', csv([set(plain[0]!, 'SALES', 'n/a'), ...plain.slice(1)]), { error: { message: 'too many rejected rows: 1 \\(16.67%\\), over the limit of 5%' } });
(cases.at(-1)![2] as any).options = { maxRejectedPct: 5 };

// --- not CSV at all ---
{
  const body = Buffer.from(csv(plain));
  const packed = deflateRawSync(body);
  const name = Buffer.from('sales.csv');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(body), 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(body.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(body), 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(body.length, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12);
  end.writeUInt32LE(30 + name.length + packed.length, 16);
  add('zipped.csv', Buffer.concat([local, name, packed, central, name, end]), { error: { message: 'not a header this dataset knows|not text|encoding', line: 1 } });
}
add('html-page.csv', '<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body><p>Your session expired, sign in to download the export.</p></body></html>\n', {
  error: { message: 'not a header this dataset knows', line: 1 },
});
add('json.csv', JSON.stringify(plain.slice(0, 2).map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]]))), null, 1), { error: { message: 'not a header this dataset knows', line: 1 } });

// --- the cars dataset: its quirks, on rows from the head of the bundled file ---
{
  const carText = readFileSync(join(here, '..', '..', 'data', 'car_prices.csv'), 'utf8');
  const carLines = carText.split('\r\n');
  const carHeader = carLines[0]!.split(',');
  const carRows = carLines.slice(1, 6).map((l) => l.split(','));
  const at = (name: string) => carHeader.indexOf(name);
  const carCsv = (rows: string[][]) => [carHeader, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
  const withCell = (row: string[], name: string, value: string) => row.map((c, k) => (k === at(name) ? value : c));
  const cars = (expected: Expected): Expected => ({ ...expected, dataset: 'cars' });
  add('cars-head.csv', carCsv(carRows), cars(ok(5, { encoding: 'utf-8', delimiter: ',' })));
  add('cars-shifted-columns.csv', carCsv([...carRows.slice(0, 3), withCell(carRows[3]!, 'vin', 'automatic')]), cars({
    read: 4, loaded: 3, rejected: 1, duplicates: 0, rejects: [{ line: 5, column: 'vin', reason: 'not a 17-character VIN' }],
  }));
  add('cars-price-of-one.csv', carCsv([withCell(carRows[0]!, 'sellingprice', '1'), ...carRows.slice(1, 3)]), cars({
    read: 3, loaded: 2, rejected: 1, duplicates: 0, rejects: [{ line: 2, column: 'sellingprice', reason: 'below the minimum of 100' }],
  }));
  add('cars-body-in-transmission.csv', carCsv([carRows[0]!, withCell(carRows[1]!, 'transmission', 'Sedan')]), cars({
    read: 2, loaded: 1, rejected: 1, duplicates: 0, rejects: [{ line: 3, column: 'transmission', reason: 'expected automatic or manual' }],
  }));
  add('cars-missing-markers-and-pdt.csv', carCsv([withCell(withCell(carRows[0]!, 'color', '—'), 'saledate', 'Wed Jun 03 2015 23:30:00 GMT-0700 (PDT)'), carRows[1]!]), cars(ok(2, {
    values: { color: [null, carRows[1]![at('color')]], saledate: ['2015-06-03', '2014-12-16'] },
  })));
}

for (const file of readdirSync(here)) if (file !== 'make-corpus.ts' && file !== 'README.md') rmSync(join(here, file));
for (const [name, content, expected] of cases) {
  writeFileSync(join(here, name), content);
  writeFileSync(join(here, `${name}.expected.json`), `${JSON.stringify(expected, null, 2)}\n`);
}
console.log(`${cases.length} cases`);
