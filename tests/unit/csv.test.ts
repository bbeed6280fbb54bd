/** CSV for downloads: the bytes written. */
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/lib/csv.ts';

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
