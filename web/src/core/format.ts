/** Number formats used across the UI. */

const moneyFmt = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' });

export const money = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : moneyFmt.format(x));

export const pct = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(digits)}%`);

export const num = (x: number | null | undefined, digits = 0): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const fixed = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));

/** "12 Jan" from an ISO day or a timestamp. */
export const shortDay = (d: string | number): string => new Date(typeof d === 'string' && d.length === 10 ? `${d}T00:00:00Z` : d).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

export const time = (d: string | number | Date): string => new Date(d).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const dateTime = (d: string | null | undefined): string =>
  d ? new Date(d).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }) : '–';

/** "5 s", "3 min", "2 h". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export const capitalise = (s: string): string => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1));
