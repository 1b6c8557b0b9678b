import type { ShopperFeatures } from './features.js';
import { AGE_BANDS } from './importers/values.js';
import { EVENT_TYPES, type Shopper } from './schema.js';

/**
 * Shopper features as a numeric matrix for the models (paper 000, section
 * 3.1: "categorical data ... encoded into a numerical format"):
 * - numeric fields standardized to zero mean and unit variance over the
 *   fitted shoppers; count-like fields are log1p'd first (heavy-tailed); a
 *   missing value (no purchases, no events) becomes 0, the mean, with a 0/1
 *   `<name>:missing` column beside it;
 * - age band as an ordinal in [0, 1] (bands are ordered), 0.5 when missing,
 *   with `ageBand:missing`;
 * - nominal fields (region, favourite category, ...) one-hot, the
 *   `maxLevels` most frequent values each plus `<field>=other`;
 * - the busiest hour as a point on the clock (sin, cos), so 23h is near 0h.
 * Fit once (fitShopperEncoder) and apply the same encoder to new shoppers.
 */

export interface ShopperEncodingConfig {
  /** Shopper attributes encoded one-hot (absent ones give no columns), plus `favouriteCategory`. */
  nominalFields: readonly string[];
  /** Levels kept per nominal field; rarer values share `<field>=other`. */
  maxLevels: number;
}

export const DEFAULT_SHOPPER_ENCODING: Readonly<ShopperEncodingConfig> = Object.freeze({
  nominalFields: Object.freeze(['region', 'gender', 'occupation', 'clubMemberStatus', 'fashionNewsFrequency', 'favouriteCategory']),
  maxLevels: 16,
});

interface NumericSpec {
  name: string;
  log: boolean;
  mean: number;
  std: number;
}

export interface ShopperEncoder {
  numeric: NumericSpec[];
  /** Age bands in order; empty when no shopper has one. */
  ageBands: string[];
  nominal: { field: string; levels: string[]; other: boolean }[];
  columns: string[];
}

export interface EncodedShopperFeatures {
  columns: string[];
  nRows: number;
  nCols: number;
  /** Row-major nRows x nCols. */
  data: Float32Array;
  /** rows[r] is a view of row r of data. */
  rows: Float32Array[];
  encoder: ShopperEncoder;
}

type Getter = (f: ShopperFeatures) => number;

const NUMERIC: readonly [name: string, log: boolean, get: Getter][] = [
  ['events', true, (f) => f.events],
  ...EVENT_TYPES.map((t): [string, boolean, Getter] => [`count:${t}`, true, (f) => f.countsByType[t]]),
  ['activeDays', true, (f) => f.activeDays],
  ['frequency', true, (f) => f.frequency],
  ['totalSpend', true, (f) => f.totalSpend],
  ['avgSpend', false, (f) => f.avgSpend],
  ['recencyDays', false, (f) => f.recencyDays],
];
const WITH_MISSING = new Set(['avgSpend', 'recencyDays']);

function nominalValue(field: string, f: ShopperFeatures, s: Shopper | undefined): string | undefined {
  if (field === 'favouriteCategory') return f.favouriteCategories[0];
  const v = s?.attributes[field];
  return v === undefined || v === '' ? undefined : String(v);
}

/** Bands in AGE_BANDS order when all are known; else by their first number (e.g. "18-24" < "25-34"). */
function orderBands(values: Set<string>): string[] {
  const known: readonly string[] = AGE_BANDS;
  if ([...values].every((v) => known.includes(v))) return known.filter((b) => values.has(b));
  const lead = (s: string): number => Number(/\d+/.exec(s)?.[0] ?? -1);
  return [...values].sort((a, b) => lead(a) - lead(b) || a.localeCompare(b));
}

function fitNumeric(name: string, log: boolean, get: Getter, features: readonly ShopperFeatures[]): NumericSpec {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (const f of features) {
    const v = transform(get(f), log);
    if (!Number.isFinite(v)) continue;
    sum += v;
    sq += v * v;
    n++;
  }
  const mean = n > 0 ? sum / n : 0;
  const std = n > 0 ? Math.sqrt(Math.max(0, sq / n - mean * mean)) : 0;
  return { name, log, mean, std };
}

function transform(v: number, log: boolean): number {
  return log ? Math.log1p(Math.max(0, v)) : v;
}

/** Learns means, deviations, age bands and nominal levels from these shoppers. */
export function fitShopperEncoder(
  features: readonly ShopperFeatures[],
  shopperInfo: readonly (Shopper | undefined)[],
  config: Readonly<ShopperEncodingConfig> = DEFAULT_SHOPPER_ENCODING,
): ShopperEncoder {
  const numeric = NUMERIC.map(([name, log, get]) => fitNumeric(name, log, get, features));
  const bands = new Set<string>();
  for (const f of features) {
    const b = shopperInfo[f.userIdx]?.attributes.ageBand;
    if (typeof b === 'string' && b !== '') bands.add(b);
  }
  const ageBands = orderBands(bands);
  const nominal = config.nominalFields.flatMap((field) => {
    const counts = new Map<string, number>();
    for (const f of features) {
      const v = nominalValue(field, f, shopperInfo[f.userIdx]);
      if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    if (counts.size === 0) return [];
    const levels = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
    return [{ field, levels: levels.slice(0, config.maxLevels), other: levels.length > config.maxLevels }];
  });
  const columns = [
    ...numeric.flatMap((s) => (WITH_MISSING.has(s.name) ? [s.name, `${s.name}:missing`] : [s.name])),
    ...(ageBands.length > 0 ? ['ageBand', 'ageBand:missing'] : []),
    ...nominal.flatMap((n) => [...n.levels.map((l) => `${n.field}=${l}`), ...(n.other ? [`${n.field}=other`] : [])]),
    'activeHour:sin',
    'activeHour:cos',
  ];
  return { numeric, ageBands, nominal, columns };
}

/** Encodes shoppers with a fitted encoder; row r is features[r]. */
export function applyShopperEncoder(
  encoder: ShopperEncoder,
  features: readonly ShopperFeatures[],
  shopperInfo: readonly (Shopper | undefined)[],
): EncodedShopperFeatures {
  const nCols = encoder.columns.length;
  const data = new Float32Array(features.length * nCols);
  const getters = encoder.numeric.map((spec) => NUMERIC.find(([name]) => name === spec.name)![2]);
  const rows = features.map((f, r) => {
    const row = data.subarray(r * nCols, (r + 1) * nCols);
    let c = 0;
    for (const [i, spec] of encoder.numeric.entries()) {
      const v = transform(getters[i]!(f), spec.log);
      const ok = Number.isFinite(v);
      row[c++] = ok && spec.std > 0 ? (v - spec.mean) / spec.std : 0;
      if (WITH_MISSING.has(spec.name)) row[c++] = ok ? 0 : 1;
    }
    const s = shopperInfo[f.userIdx];
    if (encoder.ageBands.length > 0) {
      const band = encoder.ageBands.indexOf(String(s?.attributes.ageBand ?? ''));
      row[c++] = band < 0 ? 0.5 : encoder.ageBands.length === 1 ? 0.5 : band / (encoder.ageBands.length - 1);
      row[c++] = band < 0 ? 1 : 0;
    }
    for (const n of encoder.nominal) {
      const v = nominalValue(n.field, f, s);
      const level = v === undefined ? -1 : n.levels.indexOf(v);
      if (level >= 0) row[c + level] = 1;
      else if (v !== undefined && n.other) row[c + n.levels.length] = 1;
      c += n.levels.length + (n.other ? 1 : 0);
    }
    const hour = f.activeHours[0];
    row[c] = hour === undefined ? 0 : Math.sin((2 * Math.PI * hour) / 24);
    row[c + 1] = hour === undefined ? 0 : Math.cos((2 * Math.PI * hour) / 24);
    return row;
  });
  return { columns: encoder.columns, nRows: features.length, nCols, data, rows, encoder };
}

/** Fits an encoder on these shoppers and encodes them. */
export function encodeShopperFeatures(
  features: readonly ShopperFeatures[],
  shopperInfo: readonly (Shopper | undefined)[],
  config: Readonly<ShopperEncodingConfig> = DEFAULT_SHOPPER_ENCODING,
): EncodedShopperFeatures {
  return applyShopperEncoder(fitShopperEncoder(features, shopperInfo, config), features, shopperInfo);
}
