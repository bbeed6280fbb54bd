/** The date forms the pipeline reads, evaluated by DuckDB itself: the JavaScript Date.toString() form beside the others. */
import { beforeAll, describe, expect, it } from 'vitest';
import { dateSql, type DateOrder } from '../../pipeline/clean/parse-sql.ts';
import { lit, openDb, type Db } from '../../pipeline/duckdb.ts';

let db: Db;
beforeAll(async () => (db = await openDb()));

const parse = async (value: string, order: DateOrder | undefined = 'MDY') =>
  (await db.rows<{ d: string | null }>(`select (${dateSql(lit(value), order)})::VARCHAR as d`))[0]!.d;

describe('dateSql', () => {
  it('keeps the existing forms', async () => {
    expect(await parse('2/24/2003 0:00')).toBe('2003-02-24');
    expect(await parse('2/24/03')).toBe('2003-02-24');
    expect(await parse('24.02.2003', 'DMY')).toBe('2003-02-24');
    expect(await parse('2003-02-24')).toBe('2003-02-24');
    expect(await parse('2003-02-24T10:00:00', undefined)).toBe('2003-02-24');
    // A database's time with a zone: the date written, the zone read past (as for JavaScript's dates).
    expect(await parse('2003-02-24 23:30:00+00')).toBe('2003-02-24');
    expect(await parse('2003-02-24T23:30:00.5-08:00')).toBe('2003-02-24');
    expect(await parse('2003-02-24 23:30Z')).toBe('2003-02-24');
    expect(await parse('2/30/2003')).toBeNull();
  });

  it('reads the JavaScript form as the local calendar date, ignoring the offset', async () => {
    expect(await parse('Tue Dec 16 2014 12:30:00 GMT-0800 (PST)', undefined)).toBe('2014-12-16');
    // 23:30 PST and 20:30 PDT are the next day in UTC: the date as written is kept.
    expect(await parse('Tue Dec 16 2014 23:30:00 GMT-0800 (PST)')).toBe('2014-12-16');
    expect(await parse('Tue Jun 30 2015 20:30:00 GMT-0700 (PDT)')).toBe('2015-06-30');
    expect(await parse('Thu Jan 01 2015 01:00:00 GMT+0100 (CET)')).toBe('2015-01-01');
    expect(await parse('wed jul 01 2015')).toBe('2015-07-01');
    expect(await parse('Fri Feb 30 2015 10:00:00 GMT-0800 (PST)')).toBeNull();
    expect(await parse('Tue Foo 16 2014 12:30:00 GMT-0800 (PST)')).toBeNull();
  });
});
