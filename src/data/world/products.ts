import { Rng } from '../../core/rng.js';
import type { Attributes, Item } from '../schema.js';
import { productCaption, productTitle } from './captions.js';
import {
  CATEGORIES,
  CATEGORY_SPECS,
  COLOUR_NAMES,
  COLOURS,
  PATTERNS,
  shapeFieldsOf,
  type Category,
  type Colour,
  type Pattern,
} from './vocabulary.js';

/** How the catalog is drawn; defaults beside the code (conventions.md #3). */
export interface ProductConfig {
  /** Share of products that arrive during the simulated days (the rest exist before day 0). */
  newShare: number;
  /** The initial catalog appeared over this many days before day 0. */
  backlogDays: number;
  /** Sigma of the log-normal appeal: larger means a longer popularity tail. */
  appealSigma: number;
  /** Pattern shares, in PATTERNS order (solid is the most common, as in real catalogs). */
  patternShares: readonly number[];
}

export const DEFAULT_PRODUCT_CONFIG: Readonly<ProductConfig> = Object.freeze({
  newShare: 0.35,
  backlogDays: 180,
  appealSigma: 1.7,
  patternShares: [0.36, 0.16, 0.16, 0.16, 0.16],
});

/** The catalog: items in createdAt order (ids ascend with time) and each item's latent appeal. */
export interface Catalog {
  items: Item[];
  /**
   * appeal[itemIdx] = exp(appealSigma * z), z ~ N(0, 1): a latent popularity
   * that drives exposure and (through a shopper's popularityBias) clicks.
   * Log-normal popularity gives the long tail seen in real shops.
   */
  appeal: Float64Array;
}

const DAY_MS = 86_400_000;

/** Minimum RGB distance between primary and secondary colour, so stripes and trims stay visible (black on navy is not). */
const MIN_CONTRAST = 110;

function rgbDistance(a: Colour, b: Colour): number {
  const [r1, g1, b1] = COLOURS[a];
  const [r2, g2, b2] = COLOURS[b];
  return Math.hypot(r1 - r2, g1 - g2, b1 - b2);
}

/** For each colour, the colours that contrast with it (computed once). */
const CONTRASTING: ReadonlyMap<Colour, readonly Colour[]> = new Map(
  COLOUR_NAMES.map((p) => [p, COLOUR_NAMES.filter((c) => c !== p && rgbDistance(c, p) >= MIN_CONTRAST)]),
);

const CATEGORY_SHARES: readonly number[] = CATEGORIES.map((c) => CATEGORY_SPECS[c].share);

/** A secondary colour that contrasts with `primary`. */
export function contrastingColour(rng: Rng, primary: Colour): Colour {
  return rng.pick(CONTRASTING.get(primary)!);
}

/** Product id of the i-th product (0-based): p000001, p000002, ... */
export function productId(i: number): string {
  return `p${String(i + 1).padStart(6, '0')}`;
}

/** A price drawn log-uniformly in the category's range, ending in .99 like shop prices. */
function drawPrice(rng: Rng, category: Category): number {
  const [lo, hi] = CATEGORY_SPECS[category].price;
  const p = Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
  return Math.max(1, Math.round(p)) - 0.01;
}

/** Draws category, colours, pattern and shape fields of one product. */
export function drawProductAttributes(rng: Rng, config: ProductConfig = DEFAULT_PRODUCT_CONFIG): { category: Category; attributes: Attributes; price: number } {
  const category = CATEGORIES[rng.weightedIndex(CATEGORY_SHARES)]!;
  const primaryColour = rng.pick(COLOUR_NAMES);
  const secondaryColour = contrastingColour(rng, primaryColour);
  const pattern: Pattern = PATTERNS[rng.weightedIndex(config.patternShares)]!;
  const attributes: Attributes = { primaryColour, secondaryColour, pattern };
  const shapes = CATEGORY_SPECS[category].shapes;
  for (const field of shapeFieldsOf(category)) attributes[field] = rng.pick(shapes[field]!);
  return { category, attributes, price: drawPrice(rng, category) };
}

/**
 * Draws `n` products. A share `newShare` arrives uniformly over the `days`
 * simulated days; the rest appeared in the `backlogDays` before day 0. Items
 * are sorted by createdAt and numbered in that order, so a product's id says
 * when it arrived and "new arrivals" are a contiguous range.
 */
export function drawCatalog(
  n: number,
  seed: number,
  startTime: number,
  days: number,
  config: ProductConfig = DEFAULT_PRODUCT_CONFIG,
): Catalog {
  const rng = Rng.derive(seed, 'catalog');
  const drafts = Array.from({ length: n }, () => {
    const a = drawProductAttributes(rng, config);
    const arrivesLater = rng.bool(config.newShare);
    const createdAt = arrivesLater
      ? startTime + Math.floor(rng.uniform(0, days * DAY_MS))
      : startTime - Math.floor(rng.uniform(1, config.backlogDays * DAY_MS));
    const appeal = Math.exp(config.appealSigma * rng.normal());
    return { ...a, createdAt, appeal };
  });
  drafts.sort((x, y) => x.createdAt - y.createdAt);
  const appeal = new Float64Array(n);
  const items = drafts.map((d, i): Item => {
    appeal[i] = d.appeal;
    const id = productId(i);
    const textRng = Rng.derive(seed, `caption:${id}`);
    const product = { id, category: d.category, attributes: d.attributes, price: d.price };
    return {
      id,
      title: productTitle(product),
      category: d.category,
      attributes: d.attributes,
      caption: productCaption(product, textRng),
      price: d.price,
      image: `images/${id}.png`,
      createdAt: d.createdAt,
    };
  });
  return { items, appeal };
}
