import type { Item } from '../schema.js';
import type { Taste } from './taste.js';
import { UTILITY_WEIGHTS } from './utility.js';
import {
  CATEGORIES,
  COLOUR_NAMES,
  PATTERNS,
  SHAPE_FIELD_NAMES,
  SHAPE_FIELDS,
  isCategory,
  referencePrice,
  shapeFieldsOf,
} from './vocabulary.js';

/**
 * The fast path of trueUtility for the event simulation (conventions.md #5:
 * the plain reference in utility.ts, this beside it, and a test that they
 * agree). Items become small integer codes and a taste becomes lookup tables
 * of its weighted log ratios, so one utility is six array reads and adds.
 */

/** Global index of every (shape field, value) pair. */
const SHAPE_INDEX = new Map<string, number>();
for (const f of SHAPE_FIELD_NAMES) for (const v of SHAPE_FIELDS[f]) SHAPE_INDEX.set(`${f}=${v}`, SHAPE_INDEX.size);

const CAT_INDEX = new Map<string, number>(CATEGORIES.map((c, i) => [c, i]));
const COL_INDEX = new Map<string, number>(COLOUR_NAMES.map((c, i) => [c, i]));
const PAT_INDEX = new Map<string, number>(PATTERNS.map((p, i) => [p, i]));

/** Items as columns of codes; -1 (or 0 for the price column) where a value is missing. */
export interface ItemCodes {
  n: number;
  cat: Int8Array;
  col: Int8Array;
  col2: Int8Array;
  pat: Int8Array;
  /** Up to two shape values per item (every category has one or two shape fields). */
  shapeA: Int16Array;
  shapeB: Int16Array;
  /** ln(price / referencePrice(category)), 0 when unknown. */
  logPrice: Float32Array;
}

/** A taste as lookup tables of weighted log ratios, aligned with the codes. */
export interface CompiledTaste {
  cat: Float64Array;
  col: Float64Array;
  col2: Float64Array;
  pat: Float64Array;
  shape: Float64Array;
  priceSensitivity: number;
  popularityBias: number;
}

const code = (m: Map<string, number>, v: unknown): number => (typeof v === 'string' ? (m.get(v) ?? -1) : -1);

export function encodeItems(items: readonly Pick<Item, 'category' | 'attributes' | 'price'>[]): ItemCodes {
  const n = items.length;
  const out: ItemCodes = {
    n,
    cat: new Int8Array(n),
    col: new Int8Array(n),
    col2: new Int8Array(n),
    pat: new Int8Array(n),
    shapeA: new Int16Array(n).fill(-1),
    shapeB: new Int16Array(n).fill(-1),
    logPrice: new Float32Array(n),
  };
  items.forEach((it, i) => {
    const a = it.attributes;
    out.cat[i] = code(CAT_INDEX, it.category);
    out.col[i] = code(COL_INDEX, a.primaryColour);
    out.col2[i] = code(COL_INDEX, a.secondaryColour);
    out.pat[i] = code(PAT_INDEX, a.pattern);
    if (!isCategory(it.category)) return;
    const shapes = shapeFieldsOf(it.category).map((f) => code(SHAPE_INDEX, `${f}=${String(a[f])}`));
    out.shapeA[i] = shapes[0] ?? -1;
    out.shapeB[i] = shapes[1] ?? -1;
    if (it.price !== null && it.price > 0) out.logPrice[i] = Math.log(it.price / referencePrice(it.category));
  });
  return out;
}

function table(keys: readonly string[], weights: Readonly<Record<string, number>>, scale: number): Float64Array {
  return Float64Array.from(keys, (k) => {
    const w = weights[k];
    return w === undefined ? 0 : scale * Math.log(UTILITY_WEIGHTS.epsilon + keys.length * w);
  });
}

export function compileTaste(taste: Taste): CompiledTaste {
  const W = UTILITY_WEIGHTS;
  const shape = new Float64Array(SHAPE_INDEX.size);
  for (const f of SHAPE_FIELD_NAMES) {
    const t = table(SHAPE_FIELDS[f], taste.shapes[f] ?? {}, W.shape);
    SHAPE_FIELDS[f].forEach((v, j) => (shape[SHAPE_INDEX.get(`${f}=${v}`)!] = t[j]!));
  }
  return {
    cat: table(CATEGORIES, taste.categories, W.category),
    col: table(COLOUR_NAMES, taste.colours, W.primaryColour),
    col2: table(COLOUR_NAMES, taste.colours, W.secondaryColour),
    pat: table(PATTERNS, taste.patterns, W.pattern),
    shape,
    priceSensitivity: taste.priceSensitivity,
    popularityBias: taste.popularityBias,
  };
}

/** trueUtility(taste, item i) from the compiled forms. */
export function fastUtility(t: CompiledTaste, c: ItemCodes, i: number): number {
  const cat = c.cat[i]!;
  const col = c.col[i]!;
  const col2 = c.col2[i]!;
  const pat = c.pat[i]!;
  const a = c.shapeA[i]!;
  const b = c.shapeB[i]!;
  return (
    (cat >= 0 ? t.cat[cat]! : 0) +
    (col >= 0 ? t.col[col]! : 0) +
    (col2 >= 0 ? t.col2[col2]! : 0) +
    (pat >= 0 ? t.pat[pat]! : 0) +
    (a >= 0 ? t.shape[a]! : 0) +
    (b >= 0 ? t.shape[b]! : 0) -
    t.priceSensitivity * c.logPrice[i]!
  );
}
