/**
 * A ratio's change between two periods split by member into a mix effect (the member's share of the denominator
 * moved) and a rate effect (the member's own ratio moved), symmetric in the two periods so that the effects of every
 * member add up exactly to the ratio's change. Pure: the pipeline writes the default comparison with it
 * (contributions.json), and a page can split any two periods the same way.
 *
 * With w the member's share of the denominator and r its ratio, before (0) and after (1):
 *   rate = (r₁ − r₀)(w₀ + w₁) / 2,   mix = (w₁ − w₀)(r₀ + r₁) / 2,   Σ (rate + mix) = Σ w₁r₁ − Σ w₀r₀ = R₁ − R₀.
 * A member absent from one period takes its ratio from the other: it moved the mix, not the rate.
 * Exact only when the members' parts add up to the whole's (an order in one country each: yes; an order spanning
 * product lines: no), which the caller checks.
 */

export interface RatioParts {
  numerator: [before: number, after: number];
  denominator: [before: number, after: number];
}

export interface Effects {
  mix: number;
  rate: number;
}

export function mixAndRate(members: RatioParts[]): { members: Effects[]; before: number; after: number } {
  const total = (period: 0 | 1) => members.reduce((a, m) => a + m.denominator[period], 0);
  const whole = [total(0), total(1)] as const;
  const ratio = (m: RatioParts, period: 0 | 1) => m.numerator[period] / m.denominator[period];
  const effects = members.map((m) => {
    const w0 = whole[0] ? m.denominator[0] / whole[0] : 0;
    const w1 = whole[1] ? m.denominator[1] / whole[1] : 0;
    const r0 = m.denominator[0] ? ratio(m, 0) : m.denominator[1] ? ratio(m, 1) : 0;
    const r1 = m.denominator[1] ? ratio(m, 1) : r0;
    return { rate: ((r1 - r0) * (w0 + w1)) / 2, mix: ((w1 - w0) * (r0 + r1)) / 2 };
  });
  const numerators = (period: 0 | 1) => members.reduce((a, m) => a + m.numerator[period], 0);
  return { members: effects, before: whole[0] ? numerators(0) / whole[0] : 0, after: whole[1] ? numerators(1) / whole[1] : 0 };
}
