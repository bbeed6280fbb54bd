/**
 * Members in their own order, numbers by value: 2 before 10, '-1' before '0', and labels that start with a number
 * by that number ('25–50k' before '100–150k'), so banded members read in band order wherever they are listed.
 */
export function naturalOrder(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  if (a !== '' && b !== '' && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a.localeCompare(b, 'en', { numeric: true });
}
