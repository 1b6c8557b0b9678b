import type { Rng } from '../../core/rng.js';
import { AliasTable } from './alias.js';
import type { ItemCodes } from './compiled-utility.js';
import { CATEGORIES, COLOUR_NAMES } from './vocabulary.js';

/**
 * Which products a shopper is shown: drawn, never scored one by one, so a
 * session costs the same with 2,000 or 100,000 products. Sources:
 *  - popular: the whole catalog, proportional to appeal (the long tail);
 *  - category: one category, proportional to appeal^withinPower (browsing);
 *  - look: one category and primary colour ("more like this");
 *  - new: the arrivals of the last `newWindowMs`, uniformly.
 * A draw that is not available yet (createdAt after the session time) or
 * excluded is redrawn a few times, then the source gives up (returns -1).
 */
export class ExposureSampler {
  private readonly popular: AliasTable;
  private readonly byCategory: (AliasTable | undefined)[];
  private readonly byLook: (AliasTable | undefined)[];

  constructor(
    private readonly codes: ItemCodes,
    appeal: Float64Array,
    /** createdAt per item, ascending (the catalog is in arrival order). */
    private readonly createdAt: Float64Array,
    private readonly newWindowMs: number,
    withinPower = 0.6,
  ) {
    this.popular = new AliasTable(appeal);
    const nc = CATEGORIES.length;
    const groups = (key: (i: number) => number, size: number): (AliasTable | undefined)[] => {
      const members: number[][] = Array.from({ length: size }, () => []);
      for (let i = 0; i < codes.n; i++) {
        const k = key(i);
        if (k >= 0) members[k]!.push(i);
      }
      return members.map((m) => (m.length === 0 ? undefined : new AliasTable(m.map((i) => Math.pow(appeal[i]!, withinPower)), m)));
    };
    this.byCategory = groups((i) => codes.cat[i]!, nc);
    this.byLook = groups((i) => (codes.cat[i]! < 0 || codes.col[i]! < 0 ? -1 : codes.cat[i]! * COLOUR_NAMES.length + codes.col[i]!), nc * COLOUR_NAMES.length);
  }

  /** Redraws from `table` until an item available at `t` and not excluded turns up; -1 after `tries`. */
  private drawFrom(table: AliasTable | undefined, rng: Rng, t: number, excluded: (i: number) => boolean, tries = 6): number {
    if (table === undefined) return -1;
    for (let k = 0; k < tries; k++) {
      const i = table.draw(rng);
      if (this.createdAt[i]! <= t && !excluded(i)) return i;
    }
    return -1;
  }

  popularItem(rng: Rng, t: number, excluded: (i: number) => boolean): number {
    return this.drawFrom(this.popular, rng, t, excluded);
  }

  categoryItem(rng: Rng, category: number, t: number, excluded: (i: number) => boolean): number {
    return this.drawFrom(this.byCategory[category], rng, t, excluded);
  }

  lookItem(rng: Rng, category: number, colour: number, t: number, excluded: (i: number) => boolean): number {
    return this.drawFrom(this.byLook[category * COLOUR_NAMES.length + colour], rng, t, excluded);
  }

  /** A uniformly drawn arrival of the last window before `t`. */
  newItem(rng: Rng, t: number, excluded: (i: number) => boolean): number {
    const hi = upperBound(this.createdAt, t);
    const lo = upperBound(this.createdAt, t - this.newWindowMs);
    if (hi <= lo) return -1;
    for (let k = 0; k < 4; k++) {
      const i = lo + rng.int(hi - lo);
      if (!excluded(i)) return i;
    }
    return -1;
  }

  /** Category and primary colour codes of an item (for "more like this"). */
  lookOf(i: number): [number, number] {
    return [this.codes.cat[i]!, this.codes.col[i]!];
  }
}

/** First index with xs[index] > x in an ascending array. */
export function upperBound(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
