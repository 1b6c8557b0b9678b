import { fail } from '../core/errors.js';
import type { Ranked } from './rank.js';

/**
 * Diversity re-rankers over a ranked candidate list (ask rank.ts for more
 * candidates than you show, e.g. 5k, then re-rank down to k). The paper asks
 * for "presenting diverse products without overwhelming users" (000, 3.5).
 */

/**
 * Maximal marginal relevance (Carbonell and Goldstein 1998): greedily picks
 *   argmax_i  λ rel(i) - (1 - λ) max_{j picked} sim(i, j)
 * where rel is the candidate's score min-max scaled to [0, 1] over the list
 * (so λ means the same whatever the model's score scale) and `sim` is a
 * caller-supplied item similarity in [0, 1] (e.g. cosine of content or ALS
 * item vectors). λ = 1 keeps the original order. Ties go to the earlier
 * candidate. O(k · n) similarity calls.
 */
export function mmr(candidates: Ranked, k: number, sim: (a: number, b: number) => number, lambda = 0.7): Ranked {
  if (!(lambda >= 0 && lambda <= 1)) fail('INVALID_ARGUMENT', `mmr: lambda must be in [0, 1], got ${lambda}`);
  const n = candidates.items.length;
  const take = Math.min(Math.max(k, 0), n);
  const rel = scaled(candidates.scores);
  const maxSim = new Float64Array(n);
  const used = new Uint8Array(n);
  const items = new Int32Array(take);
  const scores = new Float32Array(take);
  for (let t = 0; t < take; t++) {
    let best = -1;
    let bestValue = -Infinity;
    for (let c = 0; c < n; c++) {
      if (used[c] === 1) continue;
      const value = lambda * rel[c]! - (1 - lambda) * (t === 0 ? 0 : maxSim[c]!);
      if (value > bestValue) {
        best = c;
        bestValue = value;
      }
    }
    used[best] = 1;
    const item = candidates.items[best]!;
    items[t] = item;
    scores[t] = candidates.scores[best]!;
    for (let c = 0; c < n; c++) if (used[c] === 0) maxSim[c] = Math.max(maxSim[c]!, sim(candidates.items[c]!, item));
  }
  return { items, scores };
}

/**
 * Keeps at most `maxPerCategory` items of each category, in the original
 * order, up to k items. The list is shorter than k when the cap leaves too
 * few candidates (ask for more candidates).
 */
export function capPerCategory(
  candidates: Ranked,
  k: number,
  categoryOf: (itemIdx: number) => string | number,
  maxPerCategory: number,
): Ranked {
  if (!Number.isInteger(maxPerCategory) || maxPerCategory < 1) fail('INVALID_ARGUMENT', `maxPerCategory must be an integer >= 1, got ${maxPerCategory}`);
  const counts = new Map<string | number, number>();
  const keep: number[] = [];
  for (let c = 0; c < candidates.items.length && keep.length < k; c++) {
    const cat = categoryOf(candidates.items[c]!);
    const seen = counts.get(cat) ?? 0;
    if (seen >= maxPerCategory) continue;
    counts.set(cat, seen + 1);
    keep.push(c);
  }
  return {
    items: Int32Array.from(keep, (c) => candidates.items[c]!),
    scores: Float32Array.from(keep, (c) => candidates.scores[c]!),
  };
}

function scaled(scores: Float32Array): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of scores) {
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  const span = hi - lo;
  return Float64Array.from(scores, (s) => (span > 0 ? (s - lo) / span : 1));
}
