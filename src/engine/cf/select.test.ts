import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { selectTopK, TopKHeap } from './select.js';

function reference(scores: Float32Array, k: number): number[] {
  return Array.from(scores.keys())
    .filter((i) => scores[i]! > -Infinity)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k);
}

describe('top-k selection', () => {
  it('equals a full sort (score desc, index asc) on random scores with many ties', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + rng.int(200);
      const k = rng.int(15);
      const scores = Float32Array.from({ length: n }, () => rng.int(10));
      const items = new Int32Array(k);
      const out = new Float32Array(k);
      const got = selectTopK(scores, 0, n, new TopKHeap(k), items, out, 0);
      expect(Array.from(items.subarray(0, got))).toEqual(reference(scores, k));
    }
  });

  it('skips NaN and -Infinity and returns fewer than k when it must', () => {
    const scores = Float32Array.of(NaN, 1, -Infinity, 1, 3);
    const items = new Int32Array(5).fill(-1);
    const got = selectTopK(scores, 0, 5, new TopKHeap(5), items, new Float32Array(5), 0);
    expect(got).toBe(3);
    expect(Array.from(items)).toEqual([4, 1, 3, -1, -1]);
  });

  it('offer() accepts candidates in any order with the same tie rule', () => {
    const heap = new TopKHeap(2);
    for (const [i, s] of [
      [9, 1],
      [4, 1],
      [7, 1],
      [2, 0.5],
    ] as const)
      heap.offer(i, s);
    const items = new Int32Array(2);
    heap.drainInto(items, new Float32Array(2));
    expect(Array.from(items)).toEqual([4, 7]);
  });
});
