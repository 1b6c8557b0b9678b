import { fail } from '../../core/errors.js';
import { topK } from '../../recommend/rank.js';
import type { ItemCatalog } from '../item-catalog.js';
import type { ServingModel } from '../models/serving-model.js';
import type { VisualNeighbour } from '../photo-search.js';
import { itemView, type FeedItem } from './feed.js';
import { compileFilter, type FilterQuery } from './slate-filter.js';

/**
 * "Similar items" for a product page: the products closest to it by the
 * model's item similarity (cosine of item factors when the model has them,
 * shared attributes otherwise), blended with how alike the product images
 * look when the catalog image index is there (its nearest images), with
 * the same filters as the feed:
 *
 *   score_i = (1 − w) · model similarity + w · image cosine (0 outside the nearest images)
 *
 * w is the query's, else SIMILAR_VISUAL_WEIGHT; it is 1 for a product the
 * model has no vector for (a product without interactions: every model
 * similarity would be 0), so it still gets the products that look like it.
 * A product newer than the model is placed by its attributes and text when
 * the model has a content part (ServingModel.content: cosine in the content
 * space instead of the model similarity, blended with the photos by w as
 * above), by its photo alone otherwise; one nothing knows (new, no content
 * part, no photo in the index yet) gets its category's best sellers. One
 * pass over the catalog: 10,000 products × 64 factors is well under a
 * millisecond.
 */
export interface SimilarQuery extends FilterQuery {
  itemId: string;
  k: number;
  /** Weight w of image similarity (default SIMILAR_VISUAL_WEIGHT when there are image neighbours). */
  visualWeight?: number;
}

export const SIMILAR_VISUAL_WEIGHT = 0.5;
/** Image neighbours fetched per query (at least 4 k). */
export const SIMILAR_VISUAL_CANDIDATES = 200;

/** How many nearest images to blend in for a list of k. */
export function similarCandidates(k: number): number {
  return Math.max(SIMILAR_VISUAL_CANDIDATES, 4 * k);
}

/**
 * What a similar list was ranked by: the model, the photos, both; for a
 * product newer than the model, its attributes and text in the model's
 * content space (alone or with the photos), else (nothing knows it) its
 * category's best sellers.
 */
export type SimilarBasis = 'model' | 'photos' | 'blend' | 'attributes' | 'attributes-photos' | 'category';

function basisOf(known: boolean, byAttributes: boolean, photos: boolean, w: number): SimilarBasis {
  if (w === 1) return 'photos';
  if (known) return w === 0 ? 'model' : 'blend';
  if (byAttributes) return photos && w > 0 ? 'attributes-photos' : 'attributes';
  return 'category';
}

export interface SimilarResult {
  items: FeedItem[];
  /** The w used: 0 without image neighbours. */
  visualWeight: number;
  basis: SimilarBasis;
}

/** `neighbours`: the product's nearest images (PhotoSearch.neighbours), undefined when it has none or there is no index. */
export function similarItems(model: ServingModel, items: ItemCatalog, q: SimilarQuery, neighbours?: readonly VisualNeighbour[]): SimilarResult {
  const idx = model.bundle.items.get(q.itemId);
  const item = items.get(q.itemId);
  if (idx === undefined && item === undefined) fail('UNKNOWN_ID', `unknown product "${q.itemId}"`);
  // A product newer than the model: its attributes and text in the model's content space, when it has one.
  const row = idx === undefined ? model.content?.featureRow(item!) : undefined;
  const byAttributes = row !== undefined && row.indices.length > 0;
  const w = neighbours === undefined ? 0 : (idx === undefined && !byAttributes) || (idx !== undefined && model.sim(idx, idx) === 0) ? 1 : (q.visualWeight ?? SIMILAR_VISUAL_WEIGHT);
  const basis = basisOf(idx !== undefined, byAttributes, neighbours !== undefined, w);
  const scores = basis === 'category' ? categoryBestSellers(model, item!.category) : new Float32Array(model.nItems);
  if (idx !== undefined && w < 1) for (let i = 0; i < model.nItems; i++) scores[i] = (1 - w) * model.sim(idx, i);
  if (byAttributes && w < 1) {
    model.content!.scoreRow(row, scores);
    for (let i = 0; i < model.nItems; i++) scores[i]! *= 1 - w;
  }
  for (const n of neighbours ?? []) {
    const j = model.bundle.items.get(n.itemId);
    if (j !== undefined) scores[j]! += w * n.similarity;
  }
  const { exclude, filter } = compileFilter(model, q, idx === undefined ? [] : [idx], (id) => items.has(id));
  const ranked = topK(scores, q.k, { exclude, ...(filter === undefined ? {} : { filter }) });
  return {
    visualWeight: w,
    basis,
    items: Array.from(ranked.items, (i, position) => {
      const itemId = model.itemIds[i]!;
      return { ...itemView(itemId, items.get(itemId)), position, score: ranked.scores[position]!, explored: false };
    }),
  };
}

/** The model's popularity within one category (others left out: -Infinity), or over every product for a category the model has not seen. */
function categoryBestSellers(model: ServingModel, category: string): Float32Array {
  const code = model.categoryCode(category);
  const pop = model.bundle.popularity;
  // +1: a product nobody has bought yet still outranks the other categories.
  const codes = model.category;
  return Float32Array.from({ length: model.nItems }, (_, i) => (code < 0 || codes[i] === code ? pop[i]! + 1 : -Infinity));
}
