import type { Item } from '../schema.js';
import type { Taste } from './taste.js';
import {
  CATEGORIES,
  COLOUR_NAMES,
  PATTERNS,
  SHAPE_FIELD_NAMES,
  SHAPE_FIELDS,
  isCategory,
  referencePrice,
  shapeFieldsOf,
  type ShapeField,
} from './vocabulary.js';

/**
 * The ground-truth utility of a product for a hidden taste.
 *
 *   u(taste, x) = wc * L(categories, x.category)
 *               + wp * L(colours, x.primaryColour) + ws * L(colours, x.secondaryColour)
 *               + wt * L(patterns, x.pattern)
 *               + wf * sum over the category's shape fields f of L(shapes[f], x[f])
 *               - priceSensitivity * ln(x.price / referencePrice(x.category))
 *
 * with L(w, v) = ln(eps + K * w[v]) for a group of K values: the log ratio of
 * the shopper's preference for v to a uniform preference (about 0 for an
 * indifferent shopper, up to ln(K) for a decided one, down to ln(eps) for a
 * value they never want). It is a naive-Bayes-style sum, so each attribute
 * adds evidence independently and generated designs (attribute combinations
 * never seen in the shop) can be scored too.
 */

export const UTILITY_WEIGHTS = Object.freeze({
  category: 1.0,
  primaryColour: 0.8,
  secondaryColour: 0.3,
  pattern: 0.6,
  shape: 0.35,
  /** Floor inside the log: a value with zero weight costs ln(0.1) = -2.3 per unit weight. */
  epsilon: 0.1,
});

/** The attributes trueUtility reads: any product, in the world or not. Missing or unknown values count as neutral (0). */
export interface ProductAttributes {
  category: string;
  primaryColour?: string;
  secondaryColour?: string;
  pattern?: string;
  price?: number | null;
  /** Shape fields (sleeveLength, hemLength, heelHeight, ...). */
  [field: string]: string | number | null | undefined;
}

function logRatio(weights: Readonly<Record<string, number>> | undefined, value: unknown, k: number): number {
  if (weights === undefined || typeof value !== 'string') return 0;
  const w = weights[value];
  return w === undefined ? 0 : Math.log(UTILITY_WEIGHTS.epsilon + k * w);
}

/** The price term: 0 when the price or the category is unknown. */
function priceTerm(taste: Taste, category: string, price: unknown): number {
  if (!isCategory(category) || typeof price !== 'number' || !(price > 0)) return 0;
  return -taste.priceSensitivity * Math.log(price / referencePrice(category));
}

/**
 * Ground-truth utility of a product with `attributes` for a shopper with
 * `taste` (formula above). Pure; about -8 (nothing they want) to +6 (their
 * favourite category, colour and pattern at a good price).
 */
export function trueUtility(taste: Taste, attributes: ProductAttributes): number {
  const W = UTILITY_WEIGHTS;
  const a = attributes;
  let u = W.category * logRatio(taste.categories, a.category, CATEGORIES.length);
  u += W.primaryColour * logRatio(taste.colours, a.primaryColour, COLOUR_NAMES.length);
  u += W.secondaryColour * logRatio(taste.colours, a.secondaryColour, COLOUR_NAMES.length);
  u += W.pattern * logRatio(taste.patterns, a.pattern, PATTERNS.length);
  const fields: readonly ShapeField[] = isCategory(a.category) ? shapeFieldsOf(a.category) : SHAPE_FIELD_NAMES.filter((f) => f in a);
  for (const f of fields) u += W.shape * logRatio(taste.shapes[f], a[f], SHAPE_FIELDS[f].length);
  return u + priceTerm(taste, a.category, a.price);
}

/** The ProductAttributes of a catalog item (category, its attributes, its price). */
export function productAttributesOf(item: Pick<Item, 'category' | 'attributes' | 'price'>): ProductAttributes {
  return { ...item.attributes, category: item.category, price: item.price };
}
