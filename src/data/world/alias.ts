import type { Rng } from '../../core/rng.js';

/**
 * Walker's alias method (Walker 1977; Vose 1991's stable construction):
 * O(n) to build, O(1) per draw from a discrete distribution. The event
 * simulation draws millions of exposures from 100,000 products, so a linear
 * scan per draw (Rng.weightedIndex) would dominate the run time.
 */
export class AliasTable {
  /** prob[i]: chance of keeping column i; alias[i]: the other outcome of column i. */
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  /** outcomes[i] is what draw() returns for column i (lets a table cover a subset of item indices). */
  private readonly outcomes: Int32Array;

  /** weights[i] >= 0, at least one > 0; `outcomes` defaults to 0..n-1. */
  constructor(weights: ArrayLike<number>, outcomes?: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError('alias table over no outcomes');
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i] ?? 0;
    if (!(total > 0)) throw new RangeError('alias table with zero total weight');
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    this.outcomes = Int32Array.from(outcomes ?? Array.from({ length: n }, (_, i) => i));
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = ((weights[i] ?? 0) * n) / total;
      (scaled[i]! < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  get size(): number {
    return this.prob.length;
  }

  /** One outcome, with probability proportional to its weight. */
  draw(rng: Rng): number {
    const col = rng.int(this.prob.length);
    const keep = rng.next() < this.prob[col]!;
    return this.outcomes[keep ? col : this.alias[col]!]!;
  }
}
