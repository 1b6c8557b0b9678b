/**
 * Field parsers shared by the importers. Each returns undefined for a value it
 * cannot read, so the caller drops the row as `badValue` with its own message.
 */

/** Unix seconds below this are seconds; above, milliseconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_LIMIT = 1e11;

/** A finite number, or undefined; '' is undefined too. */
export function parseNumber(s: string): number | undefined {
  if (s.trim() === '') return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** Unix seconds to milliseconds; undefined when not an integer-like number. */
export function secondsToMs(s: string): number | undefined {
  const v = parseNumber(s);
  return v === undefined || v < 0 ? undefined : Math.round(v * 1000);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A timestamp in unix ms from unix seconds, unix ms or an ISO 8601 date
 * (`2020-09-22`, `2020-09-22T10:00:00Z`, `2020-09-22 10:00`). A date or time
 * without a zone is read as UTC, so imports do not depend on the machine's
 * time zone.
 */
export function parseTimestamp(raw: string | number): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? toMs(raw) : undefined;
  const s = raw.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return toMs(Number(s));
  const m = ISO_DATE.exec(s);
  if (m === null) return undefined;
  const zone = m[8] ?? 'Z';
  const time = m[4] === undefined ? 'T00:00:00' : `T${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7] ?? ''}`;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}${time}${zone}`);
  return Number.isFinite(ms) ? ms : undefined;
}

function toMs(v: number): number {
  return Math.round(v < SECONDS_LIMIT ? v * 1000 : v);
}

/** Age bands used for every source (MovieLens 1M age codes fall into them by their lower bound). */
export const AGE_BANDS = ['under 18', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;

/** The band of an age in years; undefined for a missing or implausible age. */
export function ageBand(age: number | undefined): string | undefined {
  if (age === undefined || !Number.isFinite(age) || age < 1 || age > 120) return undefined;
  if (age < 18) return AGE_BANDS[0];
  if (age < 25) return AGE_BANDS[1];
  if (age < 35) return AGE_BANDS[2];
  if (age < 45) return AGE_BANDS[3];
  if (age < 55) return AGE_BANDS[4];
  if (age < 65) return AGE_BANDS[5];
  return AGE_BANDS[6];
}

/** `Metal Type:` → `metalType`; `Color:` → `colour` (the project writes British English). */
export function attributeName(label: string): string {
  const words = label.replace(/:$/, '').trim().toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const name = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  return name === 'color' ? 'colour' : name;
}

/** Cuts text to at most `max` characters at a word boundary. */
export function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const v = values.slice().sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}
