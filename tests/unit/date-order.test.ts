import { describe, expect, it } from 'vitest';
import { decideDateOrder, type DateEvidence } from '../../pipeline/clean/date-order.ts';
import { UserError } from '../../pipeline/errors.ts';

const where = { file: 'f.csv', column: 'ORDERDATE' };
const evidence = (e: Partial<DateEvidence>): DateEvidence => ({ numeric: 10, maxFirst: 12, maxSecond: 12, firstIsMonth: 0, secondIsMonth: 0, ...e });

describe('decideDateOrder', () => {
  it.each([
    ['a day over 12 in second place', evidence({ maxFirst: 12, maxSecond: 31 }), undefined, 'MDY'],
    ['a day over 12 in first place', evidence({ maxFirst: 31, maxSecond: 12 }), undefined, 'DMY'],
    ['the month column agrees with the first number', evidence({ firstIsMonth: 10, secondIsMonth: 2 }), undefined, 'MDY'],
    ['the month column agrees with the second number', evidence({ firstIsMonth: 1, secondIsMonth: 9 }), undefined, 'DMY'],
    ['no evidence, declared order', evidence({}), 'DMY', 'DMY'],
    ['no numeric dates at all', evidence({ numeric: 0 }), undefined, undefined],
  ] as const)('%s', (_name, e, declared, expected) => {
    expect(decideDateOrder(e, declared, where)).toBe(expected);
  });

  it('refuses to guess without evidence or a declared order', () => {
    expect(() => decideDateOrder(evidence({}), undefined, where)).toThrow(UserError);
    expect(() => decideDateOrder(evidence({}), undefined, where)).toThrow(/month-first or day-first/);
  });

  it('refuses a file that mixes both orders', () => {
    expect(() => decideDateOrder(evidence({ maxFirst: 31, maxSecond: 31 }), 'MDY', where)).toThrow(/mix month-first and day-first/);
  });
});
