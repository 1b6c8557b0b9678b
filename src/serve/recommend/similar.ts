import { fail } from '../../core/errors.js';
import { topK } from '../../recommend/rank.js';
import type { ItemCatalog } from '../item-catalog.js';
import type { ServingModel } from '../models/serving-model.js';
import { itemView, type FeedItem } from './feed.js';
import { compileFilter, type FilterQuery } from './slate-filter.js';

/**
 * "Similar items" for a product page: the products closest to it by the
 * model's item similarity (cosine of item factors when the model has them,
 * shared attributes otherwise), with the same filters as the feed. One pass
 * over the catalog: 10,000 products × 64 factors is well under a millisecond.
 */
export interface SimilarQuery extends FilterQuery {
  itemId: string;
  k: number;
}

export function similarItems(model: ServingModel, items: ItemCatalog, q: SimilarQuery): FeedItem[] {
  const idx = model.bundle.items.get(q.itemId);
  if (idx === undefined) {
    if (!items.has(q.itemId)) fail('UNKNOWN_ID', `unknown product "${q.itemId}"`);
    fail('NOT_FITTED', `product "${q.itemId}" is newer than model "${model.name}"`, { hint: 'retrain (POST /api/jobs {"kind":"train"}) to include it' });
  }
  const scores = new Float32Array(model.nItems);
  for (let i = 0; i < model.nItems; i++) scores[i] = model.sim(idx, i);
  const { exclude, filter } = compileFilter(model, q, [idx], (id) => items.has(id));
  const ranked = topK(scores, q.k, { exclude, ...(filter === undefined ? {} : { filter }) });
  return Array.from(ranked.items, (i, position) => {
    const itemId = model.itemIds[i]!;
    return { ...itemView(itemId, items.get(itemId)), position, score: ranked.scores[position]!, explored: false };
  });
}
