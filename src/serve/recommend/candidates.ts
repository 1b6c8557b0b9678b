import { topK, type Ranked, type RecommendSource } from '../../recommend/rank.js';
import type { ServingModel } from '../models/serving-model.js';
import type { ShopperState } from '../shopper-state.js';
import { compileFilter, type CompiledFilter, type FilterQuery } from './slate-filter.js';

/**
 * The first, costly half of a feed: score every product for the shopper
 * (fold-in of their history, the whole catalog through the CF kernels, the
 * content part's sparse product, the blend) and keep the best candidates
 * passing the request's filters. The rest of the feed (session re-ranking,
 * diversity, the bandit's draw, new arrivals) runs on every request.
 *
 * These candidates depend only on the model, the shopper's stored history
 * and the products' filter columns, so they are kept between requests: up
 * to ENTRIES per shopper (one per model and filter set, the most recently
 * used; held by the ShopperState object, so they leave with it from that
 * LRU), reused while the model instance, its columns' version (catalog
 * changes), the shopper's state version (every event bumps it) and the
 * request's filters are all the same. An entry names its model by serial
 * number, so a model swapped out is not kept alive by it. A reused list is
 * the list a fresh scoring would give, bit for bit (tested).
 */

/** The shopper's stored interactions in the model's item indices. */
export interface History {
  items: Int32Array;
  weights: Float32Array;
}

export interface Candidates {
  history: History;
  /** Best first, with the model's own scores. */
  list: Ranked;
  /** history: folded in from the shopper's events; user: the trained shopper; fallback: popularity. */
  source: RecommendSource;
  /** The shopper's vector in an ALS model's factor space, or a hybrid's ALS part's (FastScorer.shopperVector), for scoring products newer than the model. */
  vector?: Float32Array;
  /** A hybrid's standardisation of those ALS scores (FastScorer.cfMoments). */
  cfMoments?: { mean: number; inv: number };
  /** A hybrid's standardisation of its content scores (FastScorer.contentMoments). */
  contentMoments?: { mean: number; inv: number };
}

/** Entries kept per shopper: the storefront's feed, a category page or two, an experiment's model and an explicit one. */
const ENTRIES = 4;

interface Entry {
  model: number;
  columns: number;
  version: number;
  key: string;
  value: Candidates;
}

export class CandidateCache {
  private readonly entries = new WeakMap<ShopperState, Entry[]>();
  hits = 0;
  misses = 0;

  /** enabled false: every request scores the catalog (the bench's comparison). */
  constructor(private readonly enabled: boolean) {}

  /**
   * The shopper's best `n` candidates under the filters `q`. The filters are
   * compiled (and checked: an unknown category or product is an error) on
   * every call, cached or not.
   */
  get(model: ServingModel, state: ShopperState, userIdx: number | undefined, q: FilterQuery, n: number, isKnownItem: (id: string) => boolean): Candidates {
    const key = filterKey(q, n);
    const kept = this.enabled ? this.entries.get(state) : undefined;
    const at = kept === undefined ? -1 : kept.findIndex((e) => e.model === model.serial && e.key === key);
    const hit = at < 0 ? undefined : kept![at]!;
    if (hit !== undefined && hit.columns === model.columnsVersion && hit.version === state.version) {
      compileFilter(model, q, hit.value.history.items, isKnownItem);
      this.hits++;
      if (at > 0) kept!.unshift(...kept!.splice(at, 1));
      return hit.value;
    }
    this.misses++;
    const version = state.version;
    const history = historyOf(model, state);
    const { scores, source } = scoreShopper(model, history, userIdx);
    const vector = source === 'fallback' ? undefined : model.scorer.shopperVector?.();
    const cfMoments = vector === undefined ? undefined : model.scorer.cfMoments?.();
    const contentMoments = source === 'fallback' ? undefined : model.scorer.contentMoments?.();
    const value: Candidates = {
      history,
      list: best(scores, n, compileFilter(model, q, history.items, isKnownItem)),
      source,
      ...(vector === undefined ? {} : { vector }),
      ...(cfMoments === undefined ? {} : { cfMoments }),
      ...(contentMoments === undefined ? {} : { contentMoments }),
    };
    if (this.enabled) {
      const entry = { model: model.serial, columns: model.columnsVersion, version, key, value };
      if (kept === undefined) this.entries.set(state, [entry]);
      else {
        if (at >= 0) kept.splice(at, 1);
        kept.unshift(entry);
        if (kept.length > ENTRIES) kept.length = ENTRIES;
      }
    }
    return value;
  }
}

/** The request fields the candidates depend on. */
function filterKey(q: FilterQuery, n: number): string {
  return `${n}|${q.categories?.join('\u0001') ?? ''}|${q.minPrice ?? ''}|${q.maxPrice ?? ''}|${q.exclude?.join('\u0001') ?? ''}`;
}

function best(scores: Float32Array, n: number, { exclude, filter }: CompiledFilter): Ranked {
  return topK(scores, n, { exclude, ...(filter === undefined ? {} : { filter }) });
}

/** The shopper's stored interactions in the model's item indices (products the model does not know are left out). */
export function historyOf(model: ServingModel, state: ShopperState): History {
  const items: number[] = [];
  const weights: number[] = [];
  for (const [id, w] of state.strength) {
    const idx = model.bundle.items.get(id);
    if (idx === undefined || !(w > 0)) continue;
    items.push(idx);
    weights.push(w);
  }
  return { items: Int32Array.from(items), weights: Float32Array.from(weights) };
}

/** Every product's score for the shopper: the fold-in of their history when the model can, else the trained shopper, else popularity. */
function scoreShopper(model: ServingModel, history: History, userIdx: number | undefined): { scores: Float32Array; source: RecommendSource } {
  const scorer = model.scorer;
  if (history.items.length > 0 && userIdx !== undefined && scorer.scoreUserHistory !== undefined) return { scores: scorer.scoreUserHistory(userIdx, history.items, history.weights), source: 'history' };
  if (history.items.length > 0 && model.canFoldIn) return { scores: scorer.scoreHistory(history.items, history.weights), source: 'history' };
  if (userIdx !== undefined) return { scores: model.scorer.scoreUser(userIdx), source: 'user' };
  return { scores: model.bundle.popularity, source: 'fallback' };
}
