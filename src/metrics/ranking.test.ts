import { describe, expect, it } from 'vitest';
import {
  auc,
  aucFromRanks,
  aucWithTies,
  averagePrecisionAtK,
  hitRateAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  reciprocalRank,
  reciprocalRankFromRanks,
} from './ranking.js';

// One shopper: ranked list (best first) and relevant items {2, 7, 8}.
// Hits at 0-based ranks 1 (item 2) and 4 (item 7); item 8 is not ranked.
const ranked = Int32Array.from([5, 2, 9, 1, 7, 3]);
const relSet = new Set([2, 7, 8]);
const relSorted = Int32Array.from([2, 7, 8]);

describe('ranking metrics on a hand-computed list', () => {
  it('precision, recall and hit rate', () => {
    for (const rel of [relSet, relSorted]) {
      // top-3 = [5, 2, 9]: one hit -> P@3 = 1/3, R@3 = 1/3, HR@3 = 1
      expect(precisionAtK(ranked, rel, 3)).toBeCloseTo(1 / 3, 12);
      expect(recallAtK(ranked, rel, 3)).toBeCloseTo(1 / 3, 12);
      expect(hitRateAtK(ranked, rel, 3)).toBe(1);
      // top-5: two hits -> P@5 = 2/5, R@5 = 2/3
      expect(precisionAtK(ranked, rel, 5)).toBeCloseTo(0.4, 12);
      expect(recallAtK(ranked, rel, 5)).toBeCloseTo(2 / 3, 12);
      // top-1 = [5]: no hit
      expect(hitRateAtK(ranked, rel, 1)).toBe(0);
    }
  });

  it('average precision is normalised by min(|rel|, k)', () => {
    // AP@5 = (P@2 + P@5) / min(3, 5) = (1/2 + 2/5) / 3 = 0.3
    expect(averagePrecisionAtK(ranked, relSet, 5)).toBeCloseTo(0.3, 12);
    // AP@3 = (1/2) / 3 = 1/6
    expect(averagePrecisionAtK(ranked, relSet, 3)).toBeCloseTo(1 / 6, 12);
    // AP@2 = (1/2) / min(3, 2) = 1/4
    expect(averagePrecisionAtK(ranked, relSet, 2)).toBeCloseTo(0.25, 12);
    // a perfect top-2 with 3 relevant items scores 1: (1/1 + 2/2) / 2
    expect(averagePrecisionAtK(Int32Array.from([7, 2, 0]), relSet, 2)).toBeCloseTo(1, 12);
  });

  it('ndcg with binary gains', () => {
    // DCG@5 = 1/log2(3) + 1/log2(6) = 0.630930 + 0.386853 = 1.017783
    // IDCG@5 over min(3, 5) = 3 hits = 1 + 0.630930 + 0.5 = 2.130930
    expect(ndcgAtK(ranked, relSet, 5)).toBeCloseTo(1.017783 / 2.13093, 5);
    // one relevant item at rank 3 -> 1/log2(5) = 0.430677
    expect(ndcgAtK(Int32Array.from([0, 1, 2, 3, 4]), new Set([3]), 10)).toBeCloseTo(0.430677, 6);
    // relevant item at rank 0 -> 1
    expect(ndcgAtK(Int32Array.from([3, 1]), new Set([3]), 10)).toBe(1);
  });

  it('reciprocal rank over the full list', () => {
    expect(reciprocalRank(ranked, relSet)).toBe(0.5); // first hit at rank 1
    expect(reciprocalRank(ranked, new Set([42]))).toBe(0);
    expect(reciprocalRankFromRanks(Int32Array.from([1, 4]))).toBe(0.5);
  });

  it('auc counts correctly ordered (relevant, non-relevant) pairs', () => {
    // candidates = the 6 ranked items; relevant 2 (rank 1) and 7 (rank 4); 8 is no candidate.
    // negatives: 5, 9, 1, 3 (4 of them). item 2 is above 9, 1, 3 -> 3 pairs;
    // item 7 is above 3 -> 1 pair. AUC = 4 / (2 * 4) = 0.5
    expect(auc(ranked, relSet)).toBeCloseTo(0.5, 12);
    expect(aucFromRanks(Int32Array.from([1, 4]), 6)).toBeCloseTo(0.5, 12);
    // relevant first -> 1; relevant last -> 0
    expect(auc(Int32Array.from([7, 0, 1]), relSet)).toBe(1);
    expect(auc(Int32Array.from([0, 1, 7]), relSet)).toBe(0);
    // no negatives -> undefined
    expect(aucFromRanks(Int32Array.from([0]), 1)).toBeNaN();
  });

  it('auc with ties counts a tied pair as half, so a constant scorer gets 0.5 whatever the item order', () => {
    // 2 relevant among 6 candidates (4 negatives): one beaten by 1 and tied with 2, the other beaten by none and tied with none.
    expect(aucWithTies(Int32Array.from([1, 0]), Int32Array.from([2, 0]), 6)).toBeCloseTo((4 - 1 - 1 + 4) / 8, 12);
    // everything tied
    expect(aucWithTies(Int32Array.from([0, 0]), Int32Array.from([4, 4]), 6)).toBe(0.5);
    expect(aucWithTies(Int32Array.from([0]), Int32Array.from([0]), 1)).toBeNaN();
  });

  it('empty relevant set gives 0', () => {
    const none = new Set<number>();
    expect(recallAtK(ranked, none, 5)).toBe(0);
    expect(averagePrecisionAtK(ranked, none, 5)).toBe(0);
    expect(ndcgAtK(ranked, none, 5)).toBe(0);
  });

  it('a list shorter than k counts missing positions as misses', () => {
    // P@10 with one hit in a 2-item list = 1/10
    expect(precisionAtK(Int32Array.from([2, 5]), relSet, 10)).toBeCloseTo(0.1, 12);
  });
});
