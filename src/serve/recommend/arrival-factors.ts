import { DEFAULT_EVENT_WEIGHTS } from '../../data/interactions.js';
import { EVENT_TYPES } from '../../data/schema.js';
import { AlsModel } from '../../recommend/als.js';
import { HybridModel } from '../../recommend/hybrid.js';
import type { Store } from '../../store/store.js';
import type { ItemCatalog } from '../item-catalog.js';
import type { ServingModel } from '../models/serving-model.js';

/**
 * Item fold-in for the products an ALS model (or the ALS part of a hybrid)
 * has never seen: as soon as shoppers the model knows view, click, cart or
 * buy a new product, it gets the item vector those interactions imply
 * (AlsModel.foldInItem: the exact solve of ALS's item step against the
 * fitted user factors), and the model can score it for anyone, x_u · y, on
 * its own scale, before any retraining.
 * Interactions by shoppers the model was not trained on do not count (they
 * have no fitted vector). A product's vector is recomputed when this server
 * takes in an event on it; until then it is kept. Each computation reads
 * the product's events from the store, so a request computes at most
 * `budget.left` of them (a bulk import of new products fills in over the
 * next requests instead of stalling one).
 */

/** How many vectors a caller may still compute (shared across calls of one request). */
export interface FoldBudget {
  left: number;
}

/** Vectors one feed request may compute: a store read and a 64 x 64 solve each, ~0.1 ms. */
export const FOLDS_PER_REQUEST = 16;
/** A new product's folded-in item vector, and how many shoppers the model knows interacted with it (a hybrid's n_i). */
export interface ArrivalVector {
  vector: Float32Array;
  users: number;
}

/** The ALS model a served model scores by: itself, or a hybrid's ALS part. */
function alsPartOf(model: ServingModel): AlsModel | undefined {
  const m = model.bundle.model;
  if (m instanceof AlsModel) return m;
  if (m instanceof HybridModel) {
    const { cf } = m.parts();
    return cf instanceof AlsModel ? cf : undefined;
  }
  return undefined;
}

export class ArrivalFactors {
  /** Per served model: its ALS part (none: not foldable) and each new product's vector, stamped with the product's event count. */
  private readonly cache = new WeakMap<ServingModel, { als: AlsModel | undefined; kept: Map<string, { stamp: number; value: ArrivalVector | null }> }>();

  constructor(
    private readonly store: Pick<Store, 'interactionsWith'>,
    private readonly catalog: ItemCatalog,
  ) {}

  /** Whether `model` scores products by ALS item factors that a fold-in can extend (ALS, a hybrid over ALS). */
  supports(model: ServingModel): boolean {
    return this.of(model).als !== undefined;
  }

  private of(model: ServingModel): { als: AlsModel | undefined; kept: Map<string, { stamp: number; value: ArrivalVector | null }> } {
    let entry = this.cache.get(model);
    if (entry === undefined) this.cache.set(model, (entry = { als: alsPartOf(model), kept: new Map() }));
    return entry;
  }

  /**
   * The folded-in item vector of a product `model` does not know, or
   * undefined (no ALS part, nobody it knows has interacted with the
   * product, or not computed yet: `budget` was spent).
   */
  vectorOf(model: ServingModel, itemId: string, budget: FoldBudget): ArrivalVector | undefined {
    const { als, kept } = this.of(model);
    if (als === undefined) return undefined;
    const stamp = this.catalog.activityOf(itemId);
    const hit = kept.get(itemId);
    if (hit !== undefined && hit.stamp === stamp) return hit.value ?? undefined;
    if (budget.left <= 0) return undefined;
    budget.left--;
    const { shopperIds, types } = this.store.interactionsWith(itemId);
    const users: number[] = [];
    const weights: number[] = [];
    shopperIds.forEach((id, k) => {
      const u = model.bundle.users.get(id);
      const type = EVENT_TYPES[types[k]!];
      if (u === undefined || type === undefined) return;
      users.push(u);
      weights.push(DEFAULT_EVENT_WEIGHTS[type]);
    });
    const value = users.length === 0 ? null : { vector: als.foldInItem(Int32Array.from(users), Float32Array.from(weights)), users: new Set(users).size };
    kept.set(itemId, { stamp, value });
    return value ?? undefined;
  }
}
