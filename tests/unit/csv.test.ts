/**
 * CSV for downloads: the bytes written, and the formula pattern they share with the pipeline's CSV exports, which
 * DuckDB (RE2) must read as JavaScript does.
 */
import { describe, expect, it } from 'vitest';
import { lit, openDb } from '../../pipeline/duckdb.ts';
import { FORMULA_START, toCsv } from '../../src/lib/csv.ts';

describe('toCsv', () => {
  it('quotes only where needed, neutralises formulas in text, ends every row with CRLF', () => {
    const csv = toCsv(['name', 'n'], [
      ['plain', 1],
      ['a,b', -2.5],
      ['say "hi"', null],
      ['line\nbreak', 0],
      ['=1+1', -3],
      ['-x', 4],
      ['\rcr', 5],
      ['', 6],
    ]);
    expect(csv).toBe(
      'name,n\r\nplain,1\r\n"a,b",-2.5\r\n"say ""hi""",\r\n"line\nbreak",0\r\n\'=1+1,-3\r\n\'-x,4\r\n"\'\rcr",5\r\n,6\r\n',
    );
  });
});

describe('FORMULA_START', () => {
  const cells = ['=SUM(A1)', '+1', '-1', '@x', '\tx', '\rx', 'x=1', ' =1', '', 'a-b', '\\t', '\\x', "'=1", '\uFF1D1', '\nx'];

  it('matches the same cells in DuckDB as in JavaScript', async () => {
    const db = await openDb();
    const values = cells.map((c, i) => `(${i}, ${lit(c)})`).join(', ');
    const rows = await db.rows<{ i: number; m: boolean }>(
      `select i, regexp_matches(cell, ${lit(FORMULA_START.source)}) as m from (values ${values}) t(i, cell) order by i`,
    );
    db.close();
    expect(rows.map((r) => r.m)).toEqual(cells.map((c) => FORMULA_START.test(c)));
    expect(cells.filter((c) => FORMULA_START.test(c))).toEqual(['=SUM(A1)', '+1', '-1', '@x', '\tx', '\rx']);
  });
});
