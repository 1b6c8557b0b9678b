import { fail } from '../../core/errors.js';
import type { ServingModel } from '../models/serving-model.js';

/**
 * Business filters of a recommendation request (issue: "category/price
 * filters, exclusions"), compiled once per request into an exclusion set and
 * a per-item predicate over the model's precomputed columns. Products the
 * catalog marks unavailable (attribute `available` 0 or "no") are always
 * left out. Unknown
 * categories and product ids are UNKNOWN_ID: a typo should not silently
 * return an unfiltered or empty page.
 */
export interface FilterQuery {
  categories?: readonly string[];
  minPrice?: number;
  maxPrice?: number;
  /** Product ids never to show. */
  exclude?: readonly string[];
}

export interface CompiledFilter {
  exclude: Set<number>;
  filter: ((itemIdx: number) => boolean) | undefined;
}

export function compileFilter(model: ServingModel, q: FilterQuery, seen: Iterable<number>, isKnownItem: (id: string) => boolean): CompiledFilter {
  const exclude = new Set<number>(seen);
  for (const id of q.exclude ?? []) {
    const idx = model.bundle.items.get(id);
    if (idx !== undefined) exclude.add(idx);
    else if (!isKnownItem(id)) fail('UNKNOWN_ID', `unknown product "${id}" in exclude`);
  }
  let cats: Set<number> | undefined;
  if (q.categories !== undefined && q.categories.length > 0) {
    cats = new Set();
    for (const name of q.categories) {
      const code = model.categoryCode(name);
      if (code < 0) fail('UNKNOWN_ID', `unknown category "${name}"`, { hint: `categories: ${model.categoryNames.slice(0, 20).join(', ')}` });
      cats.add(code);
    }
  }
  const lo = q.minPrice;
  const hi = q.maxPrice;
  if (lo !== undefined && hi !== undefined && lo > hi) fail('INVALID_ARGUMENT', `minPrice ${lo} exceeds maxPrice ${hi}`);
  const gone = model.anyUnavailable ? model.unavailable : undefined;
  if (cats === undefined && lo === undefined && hi === undefined && gone === undefined) return { exclude, filter: undefined };
  const { category, price } = model;
  const filter = (i: number): boolean => {
    if (gone !== undefined && gone[i] === 1) return false;
    if (cats !== undefined && !cats.has(category[i]!)) return false;
    const p = price[i]!;
    if (lo !== undefined && !(p >= lo)) return false;
    if (hi !== undefined && !(p <= hi)) return false;
    return true;
  };
  return { exclude, filter };
}
