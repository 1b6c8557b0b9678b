import type { CsrMatrix } from '../data/csr.js';

/**
 * Beyond-accuracy metrics of recommendation lists: catalog coverage, novelty
 * and intra-list diversity. Lists hold item indices, best first; `k` cuts
 * them (default: the whole list).
 */

/** A dissimilarity between two items, in [0, 1] for the distances below. */
export type ItemDistance = (a: number, b: number) => number;

/**
 * Catalog coverage = |union of the lists' top-k items| / nItems: the share of
 * the catalog that anybody is shown (Ge, Delgado-Battenfeld & Jannach,
 * "Beyond accuracy", RecSys 2010, prediction coverage).
 */
export function catalogCoverage(lists: Iterable<Int32Array>, nItems: number, k = Infinity): number {
  if (nItems <= 0) return 0;
  const seen = new Uint8Array(nItems);
  let distinct = 0;
  for (const list of lists) {
    const n = Math.min(k, list.length);
    for (let i = 0; i < n; i++) {
      const it = list[i]!;
      if (seen[it] === 0) {
        seen[it] = 1;
        distinct++;
      }
    }
  }
  return distinct / nItems;
}

/**
 * Novelty of one list = mean self-information of its top-k items,
 * -log2(pop_i / nUsers), where pop_i is the number of training shoppers who
 * interacted with item i (Zhou et al., "Solving the apparent
 * diversity-accuracy dilemma of recommender systems", PNAS 2010, eq. 5;
 * Vargas & Castells, RecSys 2011). An item nobody interacted with would have
 * infinite information; pop_i is floored at 1 so it counts as seen once.
 * Reported as the mean over shoppers; 0 for an empty list.
 */
export function novelty(list: Int32Array, itemPopularity: ArrayLike<number>, nUsers: number, k = Infinity): number {
  const n = Math.min(k, list.length);
  if (n === 0 || nUsers <= 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const pop = Math.max(1, itemPopularity[list[i]!] ?? 0);
    sum -= Math.log2(pop / nUsers);
  }
  return sum / n;
}

/**
 * Intra-list diversity = mean pairwise distance of the top-k items,
 * (2 / (n(n-1))) * sum over i < j of d(l_i, l_j) (Ziegler et al., "Improving
 * recommendation lists through topic diversification", WWW 2005, as one minus
 * their intra-list similarity; Smyth & McClave 2001). 0 for fewer than two items.
 */
export function intraListDiversity(list: Int32Array, distance: ItemDistance, k = Infinity): number {
  const n = Math.min(k, list.length);
  if (n < 2) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sum += distance(list[i]!, list[j]!);
  return (2 * sum) / (n * (n - 1));
}

/**
 * "Different category" distance: 1 when the two items' category codes differ,
 * 0 when equal. Items without a category (code -1) count as different from
 * everything, themselves included.
 */
export function categoryDistance(codes: Int32Array): ItemDistance {
  return (a, b) => {
    const ca = codes[a] ?? -1;
    return ca >= 0 && ca === codes[b] ? 0 : 1;
  };
}

/** 1 - cosine similarity of dense item vectors (row-major nItems x dim), clamped to [0, 1]. */
export function cosineDistance(vectors: Float32Array, dim: number): ItemDistance {
  const nItems = Math.floor(vectors.length / dim);
  const norms = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += vectors[i * dim + d]! ** 2;
    norms[i] = Math.sqrt(s);
  }
  return (a, b) => {
    const na = norms[a]!;
    const nb = norms[b]!;
    if (na === 0 || nb === 0) return 1;
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += vectors[a * dim + d]! * vectors[b * dim + d]!;
    return clamp01(1 - dot / (na * nb));
  };
}

/**
 * 1 - cosine similarity of two items' interaction columns: `itemUsers` is the
 * items x users matrix (the transpose of the training matrix), so two items
 * bought by the same shoppers are close. Values are treated as binary.
 */
export function cooccurrenceDistance(itemUsers: CsrMatrix): ItemDistance {
  return (a, b) => {
    const ra = itemUsers.rowIndices(a);
    const rb = itemUsers.rowIndices(b);
    if (ra.length === 0 || rb.length === 0) return 1;
    let common = 0;
    let i = 0;
    let j = 0;
    while (i < ra.length && j < rb.length) {
      const x = ra[i]!;
      const y = rb[j]!;
      if (x === y) {
        common++;
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
    return clamp01(1 - common / Math.sqrt(ra.length * rb.length));
  };
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
