import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { rankCandidates } from './rank-candidates.js';

/** Plain reference: sort every candidate by (score desc, index asc). */
function bruteForce(scores: Float32Array, candidates: number[], relevant: Set<number>, K: number) {
  const order = [...candidates].sort((a, b) => scores[b]! - scores[a]! || a - b);
  const negatives = candidates.filter((i) => !relevant.has(i));
  const rel = order.filter((i) => relevant.has(i));
  return {
    top: order.slice(0, K),
    relevantRanks: order.flatMap((i, r) => (relevant.has(i) ? [r] : [])),
    relevantAbove: rel.map((i) => negatives.filter((j) => scores[j]! > scores[i]!).length),
    relevantTies: rel.map((i) => negatives.filter((j) => scores[j] === scores[i]).length),
  };
}

describe('rankCandidates', () => {
  it('agrees with a full sort, ties broken by lower item index', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 50; trial++) {
      const nItems = 30 + rng.int(40);
      // small integer scores -> many ties
      const scores = Float32Array.from({ length: nItems }, () => rng.int(6));
      const exclude = Int32Array.from([...new Set(Array.from({ length: 8 }, () => rng.int(nItems)))].sort((a, b) => a - b));
      const relSet = new Set<number>();
      const nRel = 1 + rng.int(6);
      while (relSet.size < nRel) {
        const i = rng.int(nItems);
        if (!exclude.includes(i)) relSet.add(i);
      }
      const relevant = Int32Array.from(relSet).sort();
      const candidates = Array.from({ length: nItems }, (_, i) => i).filter((i) => !exclude.includes(i));
      const want = bruteForce(scores, candidates, relSet, 10);
      const full = rankCandidates(scores, nItems, { kind: 'all-except', exclude }, relevant, 10);
      expect([...full.top]).toEqual(want.top);
      expect([...full.relevantRanks]).toEqual(want.relevantRanks);
      expect([...full.relevantAbove]).toEqual(want.relevantAbove);
      expect([...full.relevantTies]).toEqual(want.relevantTies);
      expect(full.nCandidates).toBe(candidates.length);
      // an explicit candidate list gives the same answer
      const listed = rankCandidates(scores, nItems, { kind: 'list', items: Int32Array.from(candidates) }, relevant, 10);
      expect([...listed.top]).toEqual(want.top);
      expect([...listed.relevantRanks]).toEqual(want.relevantRanks);
      expect([...listed.relevantTies]).toEqual(want.relevantTies);
    }
  });

  it('NaN scores rank last and short candidate lists give short tops', () => {
    const scores = Float32Array.from([Number.NaN, 1, 2]);
    const r = rankCandidates(scores, 3, { kind: 'all-except', exclude: new Int32Array(0) }, Int32Array.from([0]), 10);
    expect([...r.top]).toEqual([2, 1, 0]);
    expect([...r.relevantRanks]).toEqual([2]);
  });
});
