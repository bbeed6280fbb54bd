/**
 * Members in their own order, numbers by value: 2 before 10, '-1' before '0', and labels that start with a number
 * by that number ('25–50k' before '100–150k'), so banded members read in band order wherever they are listed.
 */
export function naturalOrder(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  if (a !== '' && b !== '' && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return collator.compare(a, b);
}

// One collator for every comparison: localeCompare with options builds a new one per call, which made sorting
// thousands of members (sellers) take a large part of a second.
const collator = new Intl.Collator('en', { numeric: true });
