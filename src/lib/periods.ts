/** Period labels as the pipeline's date dimensions write them: 2003, 2003-Q2, 2003-04, and ISO weeks 2014-W51. */

const WEEK = /^(\d{4})-W(\d{2})$/;

/** Monday of an ISO week: week 1 is the week with the year's first Thursday (so January 4th is always in it). */
function isoWeekStart(year: number, week: number): Date {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return new Date(jan4 + ((week - 1) * 7 - weekday) * 86_400_000);
}

/** The first day of a period, as a UTC date. */
export function periodStart(label: string): Date {
  const week = WEEK.exec(label);
  if (week) return isoWeekStart(Number(week[1]), Number(week[2]));
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (quarter) return new Date(Date.UTC(Number(quarter[1]), (Number(quarter[2]) - 1) * 3, 1));
  const month = /^(\d{4})-(\d{2})$/.exec(label);
  if (month) return new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
  return new Date(Date.UTC(Number(label), 0, 1));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const monthName = (month: number) => MONTHS[month - 1] ?? String(month);

/** A period label for people: "2003", "Q2 2003", "Apr 2003", "W51 2014". */
export function periodLabel(label: string): string {
  const week = WEEK.exec(label);
  if (week) return `W${week[2]} ${week[1]}`;
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (quarter) return `Q${quarter[2]} ${quarter[1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(label);
  if (month) return `${monthName(Number(month[2]))} ${month[1]}`;
  return label;
}

const DAY_MS = 86_400_000;

/** The ISO week a day falls in, as the date dimension labels it (2014-W51; 2014-12-29 is in 2015-W01). */
export function isoWeekLabel(date: Date): string {
  // The Thursday of the day's week decides the ISO year.
  const thursday = new Date(date.getTime() + (3 - ((date.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.round((thursday.getTime() - isoWeekStart(year, 1).getTime() - 3 * DAY_MS) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The period after a label, at the same grain: 2003 → 2004, 2003-Q4 → 2004-Q1, 2003-12 → 2004-01, 2014-W52 → 2015-W01. */
export function nextPeriod(label: string): string {
  if (WEEK.test(label)) return isoWeekLabel(new Date(periodStart(label).getTime() + 7 * DAY_MS));
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (quarter) return quarter[2] === '4' ? `${Number(quarter[1]) + 1}-Q1` : `${quarter[1]}-Q${Number(quarter[2]) + 1}`;
  const month = /^(\d{4})-(\d{2})$/.exec(label);
  if (month) return month[2] === '12' ? `${Number(month[1]) + 1}-01` : `${month[1]}-${String(Number(month[2]) + 1).padStart(2, '0')}`;
  return String(Number(label) + 1);
}

/** Every period from the first label to the last, inclusive (labels of one grain, first ≤ last). */
export function periodsBetween(first: string, last: string): string[] {
  const out = [first];
  // A bound on the steps guards against labels that never reach the last (a malformed or mixed-grain label).
  while (out.at(-1)! < last && out.length < 10_000) out.push(nextPeriod(out.at(-1)!));
  return out;
}

/** A span of days, ISO dates, both ends included. */
export interface Span {
  from: string;
  to: string;
}

/** The same calendar day one year earlier (29 February becomes the 28th). */
export function yearEarlier(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${y - 1}-${String(m).padStart(2, '0')}-${String(m === 2 && d === 29 ? 28 : d).padStart(2, '0')}`;
}

/** A span and the same span one year earlier, to compare it with. */
export function yearOnYearSpans(current: Span): { current: Span; previous: Span } {
  return { current, previous: { from: yearEarlier(current.from), to: yearEarlier(current.to) } };
}

/** The latest year to date (1 January to the last day) and the same span a year earlier: a part year is never compared with a full one. */
export const yearToDateSpans = (last: string) => yearOnYearSpans({ from: `${last.slice(0, 4)}-01-01`, to: last });

/** The grain of a page's cells' dates (see contract/page-data.ts). */
export type Grain = 'day' | 'week' | 'month';

const isoOf = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * The first and last day of the cell a day falls in: the day itself, its month, or its week within its month (a
 * week across two months is two cells, one in each).
 */
export function cellSpan(iso: string, grain: Grain): Span {
  if (grain === 'day') return { from: iso, to: iso };
  const day = Date.parse(`${iso}T00:00:00Z`);
  const date = new Date(day);
  const monthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const monthEnd = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0);
  if (grain === 'month') return { from: isoOf(monthStart), to: isoOf(monthEnd) };
  const monday = day - ((date.getUTCDay() + 6) % 7) * DAY_MS;
  return { from: isoOf(Math.max(monday, monthStart)), to: isoOf(Math.min(monday + 6 * DAY_MS, monthEnd)) };
}
