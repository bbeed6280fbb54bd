/** The mix and rate split of a ratio's change (src/lib/decompose.ts): effects add up to the change, whatever the members. */
import { describe, expect, it } from 'vitest';
import { mixAndRate, type RatioParts } from '../../src/lib/decompose.ts';

function members(seed: number): RatioParts[] {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: 2 + Math.floor(next() * 8) }, () => {
    // Some members only in one period.
    const [in0, in1] = [next() > 0.15, next() > 0.15];
    const d = (on: boolean) => (on ? 1 + Math.floor(next() * 50) : 0);
    const d0 = d(in0);
    const d1 = d(in1);
    return { numerator: [d0 * next() * 1000, d1 * next() * 1000], denominator: [d0, d1] };
  });
}

describe('mix and rate effects', () => {
  it('add up to the ratio’s change for any members, including ones present in one period only', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const parts = members(seed);
      const { members: effects, before, after } = mixAndRate(parts);
      const ratio = (p: 0 | 1) => parts.reduce((a, m) => a + m.numerator[p], 0) / parts.reduce((a, m) => a + m.denominator[p], 0) || 0;
      expect(before).toBeCloseTo(ratio(0), 9);
      expect(after).toBeCloseTo(ratio(1), 9);
      expect(effects.reduce((a, e) => a + e.mix + e.rate, 0)).toBeCloseTo(after - before, 9);
    }
  });

  it('gives a member that only appears a mix effect and no rate effect; equal shares give no mix effect', () => {
    const { members: effects } = mixAndRate([
      { numerator: [100, 100], denominator: [10, 10] },
      { numerator: [0, 60], denominator: [0, 2] },
    ]);
    expect(effects[1]!.rate).toBe(0);
    expect(effects[1]!.mix).toBeCloseTo((2 / 12) * 30, 12);
    const steady = mixAndRate([
      { numerator: [100, 120], denominator: [10, 10] },
      { numerator: [50, 50], denominator: [10, 10] },
    ]);
    expect(steady.members.map((e) => e.mix)).toEqual([0, 0]);
    expect(steady.members[0]!.rate).toBeCloseTo(1, 12);
  });
});
