/**
 * Sale dates as the cars source writes them: JavaScript's Date.toString() in US Pacific time,
 * `Tue Dec 16 2014 12:30:00 GMT-0800 (PST)`, or `… GMT-0700 (PDT)` under daylight time. Dates are handled as
 * day numbers (days since 1970-01-01 of the local calendar date) so that moving a sale by whole weeks is integer
 * arithmetic, and the zone is set from the US rules in force since 2007 (daylight time from 2:00 on the second
 * Sunday of March to 2:00 on the first Sunday of November), as a browser in California would print it.
 */

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;
const FORM = /^(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat) ([A-Z][a-z]{2}) (\d{2}) (\d{4}) (\d{2}):(\d{2}:\d{2}) GMT[-+]\d{4} \((?:PST|PDT)\)$/;

export interface LocalTime {
  /** Days since 1970-01-01 of the local calendar date. */
  day: number;
  hour: number;
  /** `MM:SS` */
  rest: string;
}

export function parsePacific(text: string): LocalTime {
  const match = FORM.exec(text);
  const month = match ? MONTHS.indexOf(match[1]!) : -1;
  if (!match || month < 0) throw new Error(`"${text}" is not a date as JavaScript writes it in Pacific time`);
  return { day: Date.UTC(Number(match[3]), month, Number(match[2])) / DAY_MS, hour: Number(match[4]), rest: match[5]! };
}

/** Day number of the n-th Sunday of a month (month 0–11). */
function nthSunday(year: number, month: number, n: number): number {
  const first = Date.UTC(year, month, 1) / DAY_MS;
  const weekday = new Date(first * DAY_MS).getUTCDay();
  return first + ((7 - weekday) % 7) + 7 * (n - 1);
}

interface DayForm {
  /** `Tue Dec 16 2014` */
  prefix: string;
  daylightFrom: number;
  daylightUntil: number;
}

/** Formats Pacific local times; each day's text and daylight-time switch hours are worked out once. */
export class PacificFormatter {
  private readonly days = new Map<number, DayForm>();

  private form(day: number): DayForm {
    let form = this.days.get(day);
    if (!form) {
      const date = new Date(day * DAY_MS);
      const year = date.getUTCFullYear();
      const start = nthSunday(year, 2, 2);
      const end = nthSunday(year, 10, 1);
      const dd = String(date.getUTCDate()).padStart(2, '0');
      form = {
        prefix: `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${dd} ${year}`,
        // Hours of the local day that are in daylight time: from 2:00 on the first day, until 2:00 on the last
        // (the repeated hour 1:00–2:00 of the last day is written as its first, daylight, occurrence).
        daylightFrom: day === start ? 2 : day > start && day <= end ? 0 : 24,
        daylightUntil: day === end ? 2 : 24,
      };
      this.days.set(day, form);
    }
    return form;
  }

  format({ day, hour, rest }: LocalTime): string {
    const form = this.form(day);
    // 2:00–2:59 does not exist on the day daylight time starts: clocks go from 1:59 to 3:00.
    const shown = hour === 2 && form.daylightFrom === 2 ? 3 : hour;
    const daylight = shown >= form.daylightFrom && shown < form.daylightUntil;
    return `${form.prefix} ${String(shown).padStart(2, '0')}:${rest} ${daylight ? 'GMT-0700 (PDT)' : 'GMT-0800 (PST)'}`;
  }
}
