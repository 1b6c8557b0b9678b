import type { Rng } from '../../core/rng.js';
import type { ExposureSampler } from './exposure.js';

/**
 * What one page of a session shows. Pages differ in how much the shopper's
 * own taste picks the products (search, browse, "more like this") versus the
 * shop's popularity and novelty (home page): the mix makes popularity
 * long-tailed while what a shopper sees still says something about them.
 */
export type Page =
  /** After a click: products like the clicked one (same category; same category and colour). */
  | { kind: 'like'; category: number; colour: number }
  /** A category page the shopper browses. */
  | { kind: 'browse'; category: number }
  /** A search for a category in a colour ("red dress"). */
  | { kind: 'search'; category: number; colour: number }
  /** The home page: popular products, new arrivals, and a favourite category per slot. */
  | { kind: 'home'; categoryWeights: readonly number[] };

/** Shares of a page's slots by source; whatever is left over comes from the popular list. */
export interface SlateMix {
  /** "more like this": [same category, same category and colour]. */
  like: readonly [number, number];
  /** category page: [the category, new arrivals]. */
  browse: readonly [number, number];
  /** search: [category and colour, category]. */
  search: readonly [number, number];
  /** home page: [new arrivals, a favourite category]. */
  home: readonly [number, number];
}

/** One slot: the source the draw `u` in [0, 1) falls in; -1 sends the slot to the popular list. */
function slot(sampler: ExposureSampler, page: Page, mix: SlateMix, u: number, rng: Rng, t: number, excluded: (i: number) => boolean): number {
  switch (page.kind) {
    case 'like': {
      const [a, b] = mix.like;
      if (u < a) return sampler.categoryItem(rng, page.category, t, excluded);
      return u < a + b ? sampler.lookItem(rng, page.category, page.colour, t, excluded) : -1;
    }
    case 'browse': {
      const [a, b] = mix.browse;
      if (u < a) return sampler.categoryItem(rng, page.category, t, excluded);
      return u < a + b ? sampler.newItem(rng, t, excluded) : -1;
    }
    case 'search': {
      const [a, b] = mix.search;
      if (u < a) return sampler.lookItem(rng, page.category, page.colour, t, excluded);
      return u < a + b ? sampler.categoryItem(rng, page.category, t, excluded) : -1;
    }
    case 'home': {
      const [a, b] = mix.home;
      if (u < a) return sampler.newItem(rng, t, excluded);
      return u < a + b ? sampler.categoryItem(rng, rng.weightedIndex(page.categoryWeights), t, excluded) : -1;
    }
  }
}

/**
 * Draws `size` distinct products for a page at time `t`, none excluded
 * (e.g. already bought). A slot whose source has nothing available falls
 * back to the popular list; a slot that still finds nothing stays empty.
 */
export function drawSlate(
  sampler: ExposureSampler,
  page: Page,
  mix: SlateMix,
  size: number,
  rng: Rng,
  t: number,
  isExcluded: (i: number) => boolean,
): number[] {
  const slate: number[] = [];
  const excluded = (i: number): boolean => isExcluded(i) || slate.includes(i);
  for (let k = 0; k < size; k++) {
    let item = slot(sampler, page, mix, rng.next(), rng, t, excluded);
    if (item < 0) item = sampler.popularItem(rng, t, excluded);
    if (item >= 0) slate.push(item);
  }
  return slate;
}
