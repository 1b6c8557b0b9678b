import type { Rng } from '../../core/rng.js';
import { isAvailable, type Item } from '../../data/schema.js';
import type { ItemCatalog } from '../item-catalog.js';
import type { ServingModel } from '../models/serving-model.js';
import type { FilterQuery } from './slate-filter.js';

/**
 * New arrivals: catalog products the served model does not know (added
 * after it was trained), which its scores cannot rank. The feed explores
 * them: at the bandit's exploration rate one of them, drawn at random among
 * those that pass the request's filters, takes the slate's last place, so a
 * seller's new product is shown, clicked and bought before the next
 * retraining learns it. The list is computed once per model and catalog
 * version.
 */
export class NewArrivals {
  private readonly cache = new WeakMap<ServingModel, { version: number; items: Item[] }>();

  constructor(private readonly catalog: ItemCatalog) {}

  /** Catalog products `model` does not know, in catalog order. */
  of(model: ServingModel): readonly Item[] {
    const hit = this.cache.get(model);
    if (hit !== undefined && hit.version === this.catalog.version) return hit.items;
    const items: Item[] = [];
    for (const it of this.catalog.all()) if (!model.bundle.items.has(it.id)) items.push(it);
    this.cache.set(model, { version: this.catalog.version, items });
    return items;
  }

  /**
   * One new arrival for a slate, uniformly among those that are available,
   * pass the filters (categories by name, price range: a product without a
   * price fails a price filter), are not excluded and not in the shopper's
   * history; undefined when none does.
   */
  pick(model: ServingModel, q: FilterQuery, seen: (id: string) => boolean, rng: Rng): Item | undefined {
    const all = this.of(model);
    if (all.length === 0) return undefined;
    const cats = q.categories !== undefined && q.categories.length > 0 ? new Set(q.categories) : undefined;
    const excluded = q.exclude !== undefined && q.exclude.length > 0 ? new Set(q.exclude) : undefined;
    const ok = all.filter((it) => {
      if (!isAvailable(it) || seen(it.id) || excluded?.has(it.id) === true) return false;
      if (cats !== undefined && !cats.has(it.category)) return false;
      if (q.minPrice !== undefined && !(it.price !== null && it.price >= q.minPrice)) return false;
      if (q.maxPrice !== undefined && !(it.price !== null && it.price <= q.maxPrice)) return false;
      return true;
    });
    return ok.length === 0 ? undefined : ok[rng.int(ok.length)];
  }
}
