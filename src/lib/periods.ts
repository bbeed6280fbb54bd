/** Period labels as the pipeline's date dimension writes them: 2003, 2003-Q2, 2003-04. */

/** The first day of a period, as a UTC date. */
export function periodStart(label: string): Date {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (quarter) return new Date(Date.UTC(Number(quarter[1]), (Number(quarter[2]) - 1) * 3, 1));
  const month = /^(\d{4})-(\d{2})$/.exec(label);
  if (month) return new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
  return new Date(Date.UTC(Number(label), 0, 1));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const monthName = (month: number) => MONTHS[month - 1] ?? String(month);

/** A period label for people: "2003", "Q2 2003", "Apr 2003". */
export function periodLabel(label: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (quarter) return `Q${quarter[2]} ${quarter[1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(label);
  if (month) return `${monthName(Number(month[2]))} ${month[1]}`;
  return label;
}
