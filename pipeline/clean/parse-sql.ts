/**
 * SQL expressions that turn a raw text cell into a typed value, or NULL when it does not parse.
 * The caller has already trimmed the cell and turned '' into NULL.
 */
import type { ColumnSpec } from '../../src/lib/contract/declaration.ts';

export type DateOrder = 'MDY' | 'DMY';

// A currency sign and thousands separators are accepted only when the grouping is well formed
// ("$2,871.00", "1,234"), so that a stray comma is a reject, not a silently different number.
const GROUPED = `'^[-+]?[$€£]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?$'`;
const plainNumber = (v: string) =>
  `case when regexp_matches(${v}, ${GROUPED}) then regexp_replace(${v}, '[$€£,]', '', 'g') else regexp_replace(${v}, '^([-+]?)[$€£]', '\\1') end`;

// A time of day, and a zone after it (a database's timestamptz, `…+00`), are read past: the date is the one written.
const ISO_DATE = `'^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]+)?)?(?: ?(?:Z|[-+][0-9]{2}(?::?[0-9]{2})?))?)?$'`;
/** Month and day in either order, 2- or 4-digit year, an optional time of day that is ignored. */
export const NUMERIC_DATE = `'^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$'`;

/**
 * JavaScript's Date.toString() form, `Tue Dec 16 2014 12:30:00 GMT-0800 (PST)`: the calendar date as written
 * (the local date where the sale happened), so the offset and zone name are read past, never applied.
 */
export const JS_DATE = `'^(?i)(?:mon|tue|wed|thu|fri|sat|sun)[a-z]* +(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* +([0-9]{1,2}) +([0-9]{4})(?: +[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?: *(?:GMT|UTC)?[-+][0-9]{2}:?[0-9]{2})?(?: *\\([A-Za-z .]+\\))?)?$'`;
const MONTHS = `'janfebmaraprmayjunjulaugsepoctnovdec'`;

/** Two-digit years as strptime's %y reads them: 69–99 are 19xx, 00–68 are 20xx. */
const fullYear = (y: string) => `case when length(${y}) = 2 then (case when ${y}::INTEGER >= 69 then 1900 else 2000 end) + ${y}::INTEGER else ${y}::INTEGER end`;

export function dateSql(v: string, order: DateOrder | undefined): string {
  // Each form's groups are read from one struct (an empty year: no match). The forms cannot both match a cell
  // (1–2 digits then a separator, a weekday name, 4 digits then '-'), so their order is free; the likeliest goes
  // first, as DuckDB computes a struct shared by the first WHEN and its THEN once, and those of later branches
  // once per reference. Numeric dates are the ones whose order was found (or declared); otherwise, the JS form.
  const parts = (pattern: string, names: string[]) => `regexp_extract(${v}, ${pattern}, [${names.map((n) => `'${n}'`).join(', ')}])`;
  const iso = parts(ISO_DATE, ['y', 'm', 'd']);
  const numeric = parts(NUMERIC_DATE, order === 'DMY' ? ['d', 'm', 'y'] : ['m', 'd', 'y']);
  const js = parts(JS_DATE, ['mon', 'd', 'y']);
  return `case
      ${order ? `when ${numeric}.y <> '' then try(make_date(${fullYear(`${numeric}.y`)}, ${numeric}.m::INTEGER, ${numeric}.d::INTEGER))` : ''}
      when ${js}.y <> '' then try(make_date(${js}.y::INTEGER, (position(lower(${js}.mon) in ${MONTHS}) + 2) // 3, ${js}.d::INTEGER))
      when ${iso}.y <> '' then try(make_date(${iso}.y::INTEGER, ${iso}.m::INTEGER, ${iso}.d::INTEGER))
    end`;
}

export function typedSql(column: ColumnSpec, v: string, order: DateOrder | undefined): string {
  switch (column.type) {
    case 'string':
      return v;
    case 'integer':
      // "12.0" is an integer; "12.5" is not (a bare cast would round it). Plain digits, nearly every cell,
      // take the short test first (a simple full match is several times cheaper than ltrim over the digits).
      return `case when regexp_full_match(${v}, '[0-9]+') then try_cast(${v} as BIGINT)
        when regexp_matches(${plainNumber(v)}, '^[-+]?[0-9]+(\\.0*)?$') then try_cast(${plainNumber(v)} as BIGINT) end`;
    case 'decimal':
      // A cast that succeeds on the cell as written gives what the longer path would (no sign or separator
      // to strip), so the regular expressions only run on the cells it cannot read.
      return `coalesce(try_cast(${v} as DECIMAL(18, ${column.scale})), try_cast(${plainNumber(v)} as DECIMAL(18, ${column.scale})))`;
    case 'date':
      return dateSql(v, order);
  }
}

export const expectedFormat: Record<ColumnSpec['type'], string> = {
  string: 'text',
  integer: 'a whole number',
  decimal: 'a number such as 2871.00',
  date: 'a date such as 2/24/2003, 2003-02-24 or Tue Dec 16 2014 12:30:00 GMT-0800 (PST)',
};
