import { expect, it } from 'vitest';
import { formatMeasureChange, formatSpan } from '../../src/lib/format.ts';

it('writes a span of dates with the year once when both ends share it', () => {
  // Intl sets the dash between thin spaces; the words and figures are what matter here.
  const span = (from: string, to: string) => formatSpan(from, to).replace(/\s/g, ' ');
  expect(span('2004-01-01', '2004-05-31')).toBe('Jan 1 – May 31, 2004');
  expect(span('2004-01-01', '2005-05-31')).toBe('Jan 1, 2004 – May 31, 2005');
  expect(span('2004-05-01', '2004-05-31')).toBe('May 1 – 31, 2004');
  expect(span('2004-12-31', '2004-12-31')).toBe('Dec 31, 2004');
});

it('signs a measure’s change, and leaves none unsigned', () => {
  const money = { format: 'currency', currency: 'USD' } as const;
  expect([formatMeasureChange(money, 1234.4), formatMeasureChange(money, -56), formatMeasureChange(money, 0)]).toEqual(['+$1,234', '−$56', '$0']);
  expect(formatMeasureChange(money, -56.25, true)).toBe('−$56.25');
});
