import { fail } from '../core/errors.js';
import type { CsrMatrix } from '../data/csr.js';
import { selectTopK, TopKHeap } from '../engine/cf/select.js';
import type { Recommender } from './recommender.js';

/**
 * Ranking, written once for every model (conventions.md #1): top-k with
 * deterministic ties, seen-item removal, business filters, the
 * unknown-shopper fallback, and a batched path for evaluation.
 */

/** A ranked list, best first. */
export interface Ranked {
  items: Int32Array;
  scores: Float32Array;
}

export interface TopKOptions {
  /** Items never returned: a sorted Int32Array (e.g. a CSR row) or a Set. */
  exclude?: Int32Array | ReadonlySet<number>;
  /** Business filter: return false to drop an item (in stock, allowed category, ...). Called lazily, only for contenders. */
  filter?: (itemIdx: number) => boolean;
}

/**
 * The k best items of `scores` (higher is better), ties broken by the lower
 * item index; NaN and -Infinity never appear. A bounded heap: O(n log k).
 */
export function topK(scores: Float32Array, k: number, opts: TopKOptions = {}): Ranked {
  checkK(k);
  const heap = new TopKHeap(k);
  const { exclude, filter } = opts;
  const sorted = exclude instanceof Int32Array ? ensureSorted(exclude) : undefined;
  const set = exclude instanceof Int32Array ? undefined : exclude;
  let ex = 0;
  let thr = heap.threshold;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s > thr)) continue;
    if (sorted !== undefined) {
      while (ex < sorted.length && sorted[ex]! < i) ex++;
      if (ex < sorted.length && sorted[ex] === i) continue;
    }
    if (set?.has(i) === true) continue;
    if (filter !== undefined && !filter(i)) continue;
    heap.offer(i, s);
    thr = heap.threshold;
  }
  const items = new Int32Array(heap.size);
  const out = new Float32Array(heap.size);
  heap.drainInto(items, out);
  return { items, scores: out };
}

/** Who to recommend for: a training shopper, or a shopper known only by a history of events. */
export interface ShopperRef {
  userIdx?: number;
  history?: { items: Int32Array; weights: Float32Array };
}

export interface RecommendOptions extends Pick<TopKOptions, 'filter'> {
  k: number;
  /** Items the shopper has already seen (sorted Int32Array or Set); never recommended. */
  seen?: Int32Array | ReadonlySet<number>;
  /** Scores for shoppers the model cannot score (usually popularityScores(ui)). */
  fallback?: Float32Array;
}

/** Which path produced the scores: the model's own user, a fold-in of the history, or the fallback. */
export type RecommendSource = 'user' | 'history' | 'fallback';

export interface Recommendation extends Ranked {
  source: RecommendSource;
}

/**
 * Top-k for one shopper. A userIdx the model was trained on is scored by the
 * model; otherwise a non-empty history is scored by scoreHistory when the
 * model has it (history items are then excluded too); otherwise, an unknown
 * shopper, the fallback scores (popularity) rank the items.
 */
export function recommend(model: Recommender, who: ShopperRef, opts: RecommendOptions): Recommendation {
  checkK(opts.k);
  const { userIdx, history } = who;
  if (userIdx !== undefined && (!Number.isInteger(userIdx) || userIdx < 0)) {
    fail('INVALID_ARGUMENT', `userIdx must be a non-negative integer, got ${userIdx}`);
  }
  const hasHistory = history !== undefined && history.items.length > 0;
  const exclude = hasHistory ? mergeExclusions(opts.seen, history.items) : opts.seen;
  let scores: Float32Array;
  let source: RecommendSource;
  if (userIdx !== undefined && userIdx < model.nUsers) {
    scores = model.scoreUser(userIdx);
    source = 'user';
  } else if (hasHistory && model.scoreHistory !== undefined) {
    scores = model.scoreHistory(history.items, history.weights);
    source = 'history';
  } else {
    if (opts.fallback === undefined) {
      fail('INVALID_ARGUMENT', 'this shopper is unknown to the model and no fallback scores were given', {
        hint: 'pass fallback: popularityScores(trainData.ui)',
      });
    }
    scores = opts.fallback;
    source = 'fallback';
  }
  const ranked = topK(scores, opts.k, { ...(exclude === undefined ? {} : { exclude }), ...(opts.filter ? { filter: opts.filter } : {}) });
  return { ...ranked, source };
}

/** Row-major top-k lists for many users: row r is items[r*k .. r*k + counts[r]), padded with -1 / -Infinity. */
export interface BatchRanked {
  k: number;
  items: Int32Array;
  scores: Float32Array;
  counts: Int32Array;
}

/**
 * Top-k for every user in `userIdxs`, with each user's row of `seen`
 * (usually the training matrix) removed. Scores blocks of users at once
 * through scoreUsers when the model has it, masks seen items with -Infinity
 * in the score block, then selects per row.
 */
export function topKForUsers(model: Recommender, userIdxs: Int32Array, k: number, seen?: CsrMatrix): BatchRanked {
  checkK(k);
  const nItems = model.nItems;
  const n = userIdxs.length;
  const items = new Int32Array(n * k).fill(-1);
  const scores = new Float32Array(n * k).fill(-Infinity);
  const counts = new Int32Array(n);
  if (model.topKUsers !== undefined) {
    const fused = model.topKUsers(userIdxs, k, seen);
    for (let r = 0; r < n; r++) {
      let c = 0;
      while (c < k && fused.items[r * k + c]! >= 0) c++;
      counts[r] = c;
    }
    return { k, items: fused.items, scores: fused.scores, counts };
  }
  const block = Math.max(1, Math.min(64, Math.floor((1 << 22) / Math.max(nItems, 1))));
  const buf = new Float32Array(block * nItems);
  const heap = new TopKHeap(k);
  for (let b = 0; b < n; b += block) {
    const users = userIdxs.subarray(b, Math.min(n, b + block));
    if (model.scoreUsers !== undefined) model.scoreUsers(users, buf);
    else for (let r = 0; r < users.length; r++) model.scoreUser(users[r]!, buf.subarray(r * nItems, (r + 1) * nItems));
    for (let r = 0; r < users.length; r++) {
      const off = r * nItems;
      if (seen !== undefined) maskRow(buf, off, seen, users[r]!);
      counts[b + r] = selectTopK(buf, off, nItems, heap, items, scores, (b + r) * k);
    }
  }
  return { k, items, scores, counts };
}

/** buf[off + j] = -Infinity for every item j in row u of `seen`. */
function maskRow(buf: Float32Array, off: number, seen: CsrMatrix, u: number): void {
  if (u >= seen.nRows) return;
  const end = seen.indptr[u + 1]!;
  for (let p = seen.indptr[u]!; p < end; p++) buf[off + seen.indices[p]!] = -Infinity;
}

function mergeExclusions(seen: Int32Array | ReadonlySet<number> | undefined, extra: Int32Array): ReadonlySet<number> {
  const set = new Set<number>(seen ?? []);
  for (const i of extra) set.add(i);
  return set;
}

function ensureSorted(a: Int32Array): Int32Array {
  for (let i = 1; i < a.length; i++) if (a[i]! < a[i - 1]!) return a.slice().sort();
  return a;
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 0) fail('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}`);
}
