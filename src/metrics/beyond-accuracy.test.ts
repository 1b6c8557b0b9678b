import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '../data/csr.js';
import {
  catalogCoverage,
  categoryDistance,
  cooccurrenceDistance,
  cosineDistance,
  intraListDiversity,
  novelty,
} from './beyond-accuracy.js';

describe('beyond-accuracy metrics', () => {
  it('catalog coverage', () => {
    const lists = [Int32Array.from([0, 1, 2]), Int32Array.from([2, 3, 4])];
    // top-2: {0, 1} and {2, 3} -> 4 distinct of 10 items
    expect(catalogCoverage(lists, 10, 2)).toBeCloseTo(0.4, 12);
    // whole lists: {0..4} -> 5 / 10
    expect(catalogCoverage(lists, 10)).toBeCloseTo(0.5, 12);
  });

  it('novelty is the mean self-information -log2(pop / nUsers)', () => {
    const pop = Int32Array.from([8, 4, 1, 0]);
    // items 0..3 with 8 users: 0, 1, 3, and 3 again (pop 0 floored at 1) -> 7 / 4
    expect(novelty(Int32Array.from([0, 1, 2, 3]), pop, 8)).toBeCloseTo(1.75, 12);
    // top-2 only: (0 + 1) / 2
    expect(novelty(Int32Array.from([0, 1, 2, 3]), pop, 8, 2)).toBeCloseTo(0.5, 12);
  });

  it('intra-list diversity under the category distance', () => {
    const d = categoryDistance(Int32Array.from([0, 0, 1, -1]));
    // pairs (0,1) = 0, (0,2) = 1, (1,2) = 1 -> 2 / 3
    expect(intraListDiversity(Int32Array.from([0, 1, 2]), d)).toBeCloseTo(2 / 3, 12);
    // an uncategorised item differs from everything
    expect(d(3, 3)).toBe(1);
    expect(intraListDiversity(Int32Array.from([0]), d)).toBe(0);
  });

  it('cosine and co-occurrence distances', () => {
    const d = cosineDistance(Float32Array.from([1, 0, 0, 1, 1, 1]), 2);
    expect(d(0, 1)).toBeCloseTo(1, 6);
    expect(d(0, 2)).toBeCloseTo(1 - 1 / Math.SQRT2, 6);
    // item 0 bought by users {0, 1}, item 1 by {1, 2}: cosine 1/2 -> distance 1/2
    const itemUsers = CsrMatrix.fromCoo(3, 3, [0, 0, 1, 1], [0, 1, 1, 2]);
    const c = cooccurrenceDistance(itemUsers);
    expect(c(0, 1)).toBeCloseTo(0.5, 12);
    expect(c(0, 0)).toBeCloseTo(0, 12);
    expect(c(0, 2)).toBe(1); // item 2 has no users
  });
});
