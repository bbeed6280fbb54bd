/** File sizes for people: 527958 → "528.0 kB" (decimal units, as file managers and browsers show them). */
const UNITS = ['B', 'kB', 'MB', 'GB'];
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  // 999.95 and up would print as 1,000.0 of the unit: move to the next one instead.
  while (value >= 999.95 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : oneDecimal.format(value)} ${UNITS[unit]}`;
}
