import { fail } from '../core/errors.js';
import { DEFAULT_EVENT_WEIGHTS } from '../data/interactions.js';
import type { Item } from '../data/schema.js';
import type { Store } from '../store/store.js';
import type { ModelBundle } from './bundle.js';
import { recommend, type RecommendSource } from './rank.js';

export interface ShopperRecommendation {
  shopperId: string;
  /** user: the model knows the shopper; history: folded in from stored events; fallback: popularity. */
  source: RecommendSource;
  items: { itemId: string; score: number; item: Item | undefined }[];
}

/**
 * Top-k for a shopper by id, with every item they interacted with (in the
 * store, which may be newer than the model) removed. A shopper the model was
 * not trained on is scored from their stored events when the model can fold
 * them in, else ranked by popularity. An id the store has never seen is an
 * UNKNOWN_ID error.
 */
/** A shopper as a model sees them: their index if it was trained on them, and their stored events as a history. */
export interface ShopperHistory {
  userIdx: number | undefined;
  /** Items (sorted indices of the bundle) with summed event weights. */
  history: { items: Int32Array; weights: Float32Array };
}

/**
 * The stored events of `shopperId` as (item index, summed event weight)
 * pairs over the bundle's items; UNKNOWN_ID for an id that neither the
 * model nor the store has ever seen.
 */
export function shopperHistory(bundle: ModelBundle, store: Store, shopperId: string): ShopperHistory {
  const events = store.eventsOf(shopperId);
  const userIdx = bundle.users.get(shopperId);
  if (userIdx === undefined && events.length === 0 && store.getShopper(shopperId) === undefined) {
    fail('UNKNOWN_ID', `unknown shopper "${shopperId}"`, { hint: 'check the id (e.g. `vitrine shoppers` lists some), or import events for this shopper first' });
  }
  const strength = new Map<number, number>();
  for (const e of events) {
    const idx = bundle.items.get(e.itemId);
    if (idx === undefined) continue;
    strength.set(idx, (strength.get(idx) ?? 0) + DEFAULT_EVENT_WEIGHTS[e.type]);
  }
  const order = [...strength.keys()].sort((a, b) => a - b);
  return { userIdx, history: { items: Int32Array.from(order), weights: Float32Array.from(order, (i) => strength.get(i)!) } };
}

export function recommendForShopper(
  bundle: ModelBundle,
  store: Store,
  shopperId: string,
  opts: { k: number; filter?: (itemIdx: number) => boolean },
): ShopperRecommendation {
  const { userIdx, history } = shopperHistory(bundle, store, shopperId);
  const ranked = recommend(
    bundle.model,
    { ...(userIdx === undefined ? {} : { userIdx }), history },
    { k: opts.k, seen: new Set(history.items), fallback: bundle.popularity, ...(opts.filter ? { filter: opts.filter } : {}) },
  );
  const items = Array.from(ranked.items, (idx, r) => {
    const itemId = bundle.items.idOf(idx);
    return { itemId, score: ranked.scores[r]!, item: store.getItem(itemId) };
  });
  return { shopperId, source: ranked.source, items };
}
