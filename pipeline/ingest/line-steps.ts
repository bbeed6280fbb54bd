/** From row `start` on (0-based, in file order), each row is `extra` lines further down the file than its number says. */
export interface LineStep {
  start: number;
  extra: number;
}

/**
 * Up to this many steps, a row's line is computed by a CASE expression, which keeps the rows in file order; past
 * it the expression takes longer to plan than to run (planning grows with the steps, running with their log),
 * and an ASOF join is used instead.
 */
export const MAX_CASE_STEPS = 1000;

/**
 * SQL for the `extra` of the last step starting at or before `row` (0 before the first step): a binary search
 * written as nested CASEs, so a row takes log2(steps) comparisons. `steps` are ordered by start.
 */
export function lineStepSql(row: string, steps: LineStep[]): string {
  const pick = (lo: number, hi: number): string => {
    if (lo === hi) return String(steps[lo]!.extra);
    const mid = (lo + hi + 1) >> 1;
    return `case when ${row} >= ${steps[mid]!.start} then ${pick(mid, hi)} else ${pick(lo, mid - 1)} end`;
  };
  return steps.length ? `case when ${row} >= ${steps[0]!.start} then ${pick(0, steps.length - 1)} else 0 end` : '0';
}
