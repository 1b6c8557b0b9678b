import { describe, expect, it } from 'vitest';
import { IdMap } from '../core/ids.js';
import type { InteractionPairs } from '../data/interactions.js';
import {
  globalTimeCutoff,
  itemIdTieKey,
  leaveLastOut,
  makeSplit,
  randomRatio,
  stratifiedByCategory,
  validationSplit,
} from './splits.js';

/** Pairs from [user, item, lastTs] triples (sorted by user, item as interactionPairs makes them). */
function pairsOf(triples: [number, number, number][], nUsers: number, nItems: number): InteractionPairs {
  const sorted = [...triples].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const n = sorted.length;
  return {
    nUsers,
    nItems,
    user: Int32Array.from(sorted, (t) => t[0]),
    item: Int32Array.from(sorted, (t) => t[1]),
    strength: new Float32Array(n).fill(1),
    firstTs: Float64Array.from(sorted, (t) => t[2]),
    lastTs: Float64Array.from(sorted, (t) => t[2]),
    events: new Int32Array(n).fill(1),
  };
}

const testItems = (s: { test: { rowIndices(u: number): Int32Array } }, u: number): number[] => [...s.test.rowIndices(u)];

describe('leaveLastOut', () => {
  // user 0: item 1 at t=10, items 2 and 3 both at t=20 (a tie); user 1: items 0 (t=5), 4 (t=7);
  // user 2: a single pair.
  const pairs = pairsOf(
    [
      [0, 1, 10],
      [0, 3, 20],
      [0, 2, 20],
      [1, 0, 5],
      [1, 4, 7],
      [2, 4, 1],
    ],
    3,
    5,
  );

  it('takes each shopper latest pair; on a timestamp tie the larger item index is later', () => {
    const s = leaveLastOut(pairs);
    expect(testItems(s, 0)).toEqual([3]);
    expect(testItems(s, 1)).toEqual([4]);
    // a shopper with a single pair stays entirely in training and is not tested
    expect(testItems(s, 2)).toEqual([]);
    expect(s.testPairs.length).toBe(2);
    expect(s.train.length).toBe(4);
    expect(s.protocol).toBe('leave-last-out');
  });

  it('a tie key reorders ties (e.g. by item id)', () => {
    const reversed = Float64Array.from([4, 3, 2, 1, 0]); // item 2 now "larger" than item 3
    expect(testItems(leaveLastOut(pairs, {}, { tieKey: reversed }), 0)).toEqual([2]);
  });

  it('the validation split takes each shopper last training pair', () => {
    const s = leaveLastOut(pairs);
    const v = validationSplit(s);
    // user 0 training pairs: item 1 (t=10), item 2 (t=20) -> validation item 2
    expect(testItems(v, 0)).toEqual([2]);
    // user 1 has one training pair left: not validated
    expect(testItems(v, 1)).toEqual([]);
    // validation never touches test pairs
    for (const p of v.train) expect(s.testPairs.includes(p)).toBe(false);
    expect(v.train.length + v.testPairs.length).toBe(s.train.length);
  });
});

describe('itemIdTieKey', () => {
  it('orders numeric ids numerically and other ids as strings', () => {
    expect([...itemIdTieKey(IdMap.from(['10', '9', '100']))]).toEqual([10, 9, 100]);
    expect([...itemIdTieKey(IdMap.from(['b', 'a', 'c']))]).toEqual([1, 0, 2]);
  });
});

describe('globalTimeCutoff', () => {
  // 8 pairs at t = 1..8
  const pairs = pairsOf(
    Array.from({ length: 8 }, (_, k): [number, number, number] => [k % 2, k, k + 1]),
    2,
    8,
  );

  it('a fraction keeps the earliest share of pairs for training', () => {
    const s = globalTimeCutoff(pairs, { fraction: 0.5 });
    // sorted times [1..8], position floor(0.5 * 8) = 4 -> cutoff t=5: t in {5,6,7,8} are test
    expect([...s.testPairs].map((p) => pairs.lastTs[p]).sort((a, b) => a! - b!)).toEqual([5, 6, 7, 8]);
    expect(s.testPairs.length).toBe(4);
    for (const p of s.testPairs) expect(pairs.lastTs[p]).toBeGreaterThanOrEqual(5);
    for (const p of s.train) expect(pairs.lastTs[p]).toBeLessThan(5);
    expect(s.protocol).toBe('time-cutoff-0.5');
  });

  it('an absolute cutoff, and its validation split keeps the same share', () => {
    const s = globalTimeCutoff(pairs, { at: 3 });
    expect(s.train.length).toBe(2); // t = 1, 2
    const big = pairsOf(
      Array.from({ length: 40 }, (_, k): [number, number, number] => [k % 4, k, k + 1]),
      4,
      40,
    );
    const s2 = globalTimeCutoff(big, { at: 31 }); // 30 train, 10 test: share 0.75
    const v = validationSplit(s2);
    // 0.75 of the 30 training pairs: position floor(22.5) = 22 -> t >= 23 to validation
    expect(v.train.length).toBe(22);
    expect(v.testPairs.length).toBe(8);
  });

  it('rejects a fraction outside (0, 1)', () => {
    expect(() => globalTimeCutoff(pairs, { fraction: 1 })).toThrow(/\(0, 1\)/);
  });
});

describe('randomRatio and stratifiedByCategory', () => {
  const triples: [number, number, number][] = [];
  for (let u = 0; u < 20; u++) for (let i = 0; i < 12; i++) triples.push([u, i, u * 100 + i]);
  const pairs = pairsOf(triples, 20, 12); // 240 pairs

  it('random ratio is reproducible by seed and takes round(f * n) pairs', () => {
    const a = randomRatio(pairs, { testFraction: 0.25 }, { seed: 7 });
    const b = randomRatio(pairs, { testFraction: 0.25 }, { seed: 7 });
    const c = randomRatio(pairs, { testFraction: 0.25 }, { seed: 8 });
    expect(a.testPairs.length).toBe(60);
    expect([...a.testPairs]).toEqual([...b.testPairs]);
    expect([...a.testPairs]).not.toEqual([...c.testPairs]);
    expect(a.protocol).toBe('random-0.25');
  });

  it('stratified keeps the test share within every category', () => {
    // items 0..3 in category 0 (80 pairs), 4..11 in category 1 (160 pairs)
    const itemCategory = Int32Array.from({ length: 12 }, (_, i) => (i < 4 ? 0 : 1));
    const s = stratifiedByCategory(pairs, { testFraction: 0.25 }, { seed: 1, itemCategory });
    const perCat = [0, 0];
    for (const p of s.testPairs) perCat[itemCategory[pairs.item[p]!]!]!++;
    expect(perCat).toEqual([20, 40]);
    const v = validationSplit(s);
    // 0.25 of the remaining 60 and 120 training pairs
    const vCat = [0, 0];
    for (const p of v.testPairs) vCat[itemCategory[pairs.item[p]!]!]!++;
    expect(vCat).toEqual([15, 30]);
    expect(() => stratifiedByCategory(pairs, { testFraction: 0.25 })).toThrow(/category/);
  });

  it('makeSplit dispatches by kind', () => {
    expect(makeSplit(pairs, { kind: 'leave-last-out' }).testPairs.length).toBe(20);
    expect(makeSplit(pairs, { kind: 'random', testFraction: 0.5 }, { seed: 3 }).testPairs.length).toBe(120);
  });
});
