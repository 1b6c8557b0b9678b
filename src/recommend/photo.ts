import { fail } from '../core/errors.js';
import type { Store } from '../store/store.js';
import type { VectorIndex } from '../vision/ann-index.js';
import { embedImage, type ImageEncoder } from '../vision/encoder.js';
import type { ImageInput, ImageLimits } from '../vision/image.js';
import type { ModelBundle } from './bundle.js';
import { shopperHistory } from './for-shopper.js';
import type { RecommendSource } from './rank.js';

/**
 * "More like this photo, for me" (paper 002, Tiwari et al.: reverse image
 * search over CNN features, combined with the shopper's browsing history).
 * The paper leaves the combination open; vitrine makes it explicit: over the
 * top `candidates` products by visual similarity,
 *     score = w * cosine(photo, product) + (1 - w) * preference percentile,
 * where the percentile is the product's rank among all products under the
 * shopper's recommender scores (1 = their favourite, 0 = their least liked),
 * w = 0.7 by default. A rank rather than the raw score, so the blend does
 * not depend on each model's score scale. Without a shopper, pure visual
 * similarity.
 */

export interface PhotoShopper {
  bundle: ModelBundle;
  /** The store with the shopper's events (newer than the model, possibly). */
  store: Store;
  shopperId: string;
}

export interface PhotoSearchOptions {
  /** Results returned. */
  k?: number;
  /** Visual candidates re-ranked for the shopper (at least k are taken). */
  candidates?: number;
  /** Weight w of visual similarity in the blend, in [0, 1]. */
  weight?: number;
  shopper?: PhotoShopper;
  /** Leave out products the shopper interacted with (default false: the exact product is a fine answer to a photo of it). */
  excludeSeen?: boolean;
  /** Limits on the uploaded photo. */
  limits?: Partial<ImageLimits>;
  /** Name of an uploaded photo in error messages. */
  name?: string;
}

export interface PhotoMatch {
  itemId: string;
  /** Cosine similarity of the photo and the product image. */
  visual: number;
  /** The product's preference percentile for the shopper, in [0, 1]; null without a shopper or for a product the model does not know. */
  preference: number | null;
  /** w * visual + (1 - w) * preference (0.5 stands in for an unknown product); visual alone without a shopper. */
  score: number;
}

export interface PhotoSearchResult {
  items: PhotoMatch[];
  shopperId: string | null;
  /** The blend weight used (null without a shopper). */
  weight: number | null;
  /** How the shopper was scored: the model's own user, history fold-in, or popularity. */
  source: RecommendSource | null;
  /** Visual candidates considered. */
  candidates: number;
}

export const PHOTO_DEFAULTS = Object.freeze({ k: 10, candidates: 200, weight: 0.7 });

/** Preference percentile of a product the model does not know (the middle). */
const UNKNOWN_PREFERENCE = 0.5;

/** Reverse image search for a photo (a path or an upload), blended with the shopper's preference when given. */
export async function searchByPhoto(
  photo: ImageInput,
  search: { index: VectorIndex; encoder: ImageEncoder },
  opts: PhotoSearchOptions = {},
): Promise<PhotoSearchResult> {
  checkOptions(opts);
  if (search.index.config.dim !== search.encoder.dim) {
    fail('MODEL_INCOMPATIBLE', `the index holds ${search.index.config.dim}-d vectors but the encoder gives ${search.encoder.dim}`);
  }
  const vector = await embedImage(search.encoder, photo, { ...(opts.limits ? { limits: opts.limits } : {}), ...(opts.name ? { name: opts.name } : {}) });
  return searchByVector(vector, search.index, opts);
}

/** The same search from an embedding already computed (the photo's, or a product's own). */
export function searchByVector(vector: Float32Array, index: VectorIndex, opts: PhotoSearchOptions = {}): PhotoSearchResult {
  const { k, candidates, weight } = checkOptions(opts);
  const hits = index.search(vector, Math.max(k, candidates));
  if (opts.shopper === undefined) {
    const items = hits.slice(0, k).map((h) => ({ itemId: h.key, visual: h.similarity, preference: null, score: h.similarity }));
    return { items, shopperId: null, weight: null, source: null, candidates: hits.length };
  }
  const { bundle, shopperId } = opts.shopper;
  const pref = shopperScores(opts.shopper);
  const sorted = Float32Array.from(pref.scores).sort();
  const blended: PhotoMatch[] = [];
  for (const h of hits) {
    const idx = bundle.items.get(h.key);
    if (opts.excludeSeen === true && idx !== undefined && pref.seen.has(idx)) continue;
    const preference = idx === undefined ? null : percentileIn(sorted, pref.scores[idx]!);
    blended.push({ itemId: h.key, visual: h.similarity, preference, score: weight * h.similarity + (1 - weight) * (preference ?? UNKNOWN_PREFERENCE) });
  }
  blended.sort((a, b) => b.score - a.score || b.visual - a.visual || (a.itemId < b.itemId ? -1 : 1));
  return { items: blended.slice(0, k), shopperId, weight, source: pref.source, candidates: hits.length };
}

function checkOptions(opts: PhotoSearchOptions): { k: number; candidates: number; weight: number } {
  const k = opts.k ?? PHOTO_DEFAULTS.k;
  const candidates = opts.candidates ?? PHOTO_DEFAULTS.candidates;
  const weight = opts.weight ?? PHOTO_DEFAULTS.weight;
  if (!Number.isInteger(k) || k < 1) fail('INVALID_ARGUMENT', `k must be a positive integer, got ${k}`);
  if (!Number.isInteger(candidates) || candidates < 1) fail('INVALID_ARGUMENT', `candidates must be a positive integer, got ${candidates}`);
  if (!Number.isFinite(weight) || weight < 0 || weight > 1) fail('INVALID_ARGUMENT', `the visual weight must be in [0, 1], got ${weight}`);
  return { k, candidates, weight };
}

/**
 * The shopper's scores over every item of the bundle, the way rank.ts
 * chooses them: the model's own user when it was trained on them, else a
 * fold-in of their stored events, else popularity. UNKNOWN_ID for an id
 * neither the model nor the store knows (as recommendForShopper).
 */
export function shopperScores(who: PhotoShopper): { scores: Float32Array; source: RecommendSource; seen: ReadonlySet<number> } {
  const { bundle, store, shopperId } = who;
  const { userIdx, history } = shopperHistory(bundle, store, shopperId);
  const seen = new Set(history.items);
  const model = bundle.model;
  if (userIdx !== undefined && userIdx < model.nUsers) return { scores: model.scoreUser(userIdx), source: 'user', seen };
  if (history.items.length > 0 && model.scoreHistory !== undefined) {
    return { scores: model.scoreHistory(history.items, history.weights), source: 'history', seen };
  }
  return { scores: bundle.popularity, source: 'fallback', seen };
}

/**
 * Percentile of `score` among the ascending `sorted` scores of all n items:
 * (items scoring lower + half the other items scoring the same) / (n - 1),
 * so the best item is 1, the worst 0, and ties share the middle of their ranks.
 */
export function percentileIn(sorted: Float32Array, score: number): number {
  const n = sorted.length;
  if (n <= 1) return UNKNOWN_PREFERENCE;
  const s = Math.fround(score);
  const below = lowerBound(sorted, s);
  const equal = lowerBound(sorted, s, true) - below;
  return (below + 0.5 * Math.max(0, equal - 1)) / (n - 1);
}

/** First index whose value is >= x (or > x when `strict`). */
function lowerBound(a: Float32Array, x: number, strict = false): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x || (strict && a[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
