import { describe, expect, it } from 'vitest';
import { VitrineError } from '../core/errors.js';
import { CsrMatrix } from '../data/csr.js';
import { ItemKnnModel } from './itemknn.js';
import { PopularityModel, popularityScores } from './popularity.js';
import { recommend, topK, topKForUsers } from './rank.js';
import { BprModel } from './bpr.js';
import { twoBlocks } from './test-utils/fixtures.js';

describe('topK', () => {
  const scores = Float32Array.of(0.5, 0.9, 0.9, 0.1, 0.9, NaN, -Infinity);

  it('ranks by score and breaks ties by the lower item index', () => {
    const r = topK(scores, 4);
    expect(Array.from(r.items)).toEqual([1, 2, 4, 0]);
    expect(Array.from(r.scores)).toEqual([0.9, 0.9, 0.9, 0.5].map(Math.fround));
  });

  it('removes excluded items (sorted array, unsorted array or Set) and filtered ones', () => {
    expect(Array.from(topK(scores, 3, { exclude: Int32Array.of(1, 4) }).items)).toEqual([2, 0, 3]);
    expect(Array.from(topK(scores, 3, { exclude: Int32Array.of(4, 1) }).items)).toEqual([2, 0, 3]);
    expect(Array.from(topK(scores, 3, { exclude: new Set([2]) }).items)).toEqual([1, 4, 0]);
    expect(Array.from(topK(scores, 3, { filter: (i) => i % 2 === 0 }).items)).toEqual([2, 4, 0]);
  });

  it('never returns NaN or -Infinity and returns fewer items when there are not enough', () => {
    expect(Array.from(topK(scores, 10).items)).toEqual([1, 2, 4, 0, 3]);
    expect(topK(scores, 0).items.length).toBe(0);
    expect(() => topK(scores, -1)).toThrow(VitrineError);
  });
});

describe('recommend', () => {
  const toy = twoBlocks(3);
  const fallback = popularityScores(toy.ui);

  it('scores a known shopper with the model and removes seen items', async () => {
    const m = new ItemKnnModel();
    await m.fit(toy);
    const seen = toy.ui.rowIndices(0);
    const r = recommend(m, { userIdx: 0 }, { k: 5, seen, fallback });
    expect(r.source).toBe('user');
    for (const i of r.items) expect(seen.includes(i)).toBe(false);
    expect(toy.blockOf[r.items[0]!]).toBe(0);
  });

  it('scores a shopper known only by a history, excluding the history', async () => {
    const m = new ItemKnnModel();
    await m.fit(toy);
    const history = { items: Int32Array.of(16, 17), weights: Float32Array.of(1, 1) };
    const r = recommend(m, { history }, { k: 3, fallback });
    expect(r.source).toBe('history');
    expect(Array.from(r.items).some((i) => i === 16 || i === 17)).toBe(false);
    for (const i of r.items) expect(toy.blockOf[i]).toBe(1);
  });

  it('falls back to popularity for an unknown shopper, and for a model that cannot score histories', async () => {
    const m = new ItemKnnModel();
    await m.fit(toy);
    const pop = Array.from(topK(fallback, 4).items);
    const unknown = recommend(m, {}, { k: 4, fallback });
    expect(unknown.source).toBe('fallback');
    expect(Array.from(unknown.items)).toEqual(pop);
    expect(recommend(m, { userIdx: m.nUsers + 5 }, { k: 4, fallback }).source).toBe('fallback');
    const bpr = new BprModel({ factors: 2, epochs: 2 });
    await bpr.fit(toy);
    const viaHistory = recommend(bpr, { history: { items: Int32Array.of(0), weights: Float32Array.of(1) } }, { k: 4, fallback });
    expect(viaHistory.source).toBe('fallback');
    expect(viaHistory.items.includes(0)).toBe(false);
    expect(() => recommend(m, {}, { k: 4 })).toThrow(/fallback/);
  });
});

describe('topKForUsers', () => {
  it('equals per-user topK with the seen row excluded, padded with -1', async () => {
    const toy = twoBlocks(4);
    const m = new ItemKnnModel();
    await m.fit(toy);
    const users = Int32Array.of(0, 3, 39, 20);
    const k = 16; // more than the unseen items of a block, so some rows are short
    const batch = topKForUsers(m, users, k, toy.ui);
    users.forEach((u, r) => {
      const one = topK(m.scoreUser(u), k, { exclude: toy.ui.rowIndices(u) });
      expect(batch.counts[r]).toBe(one.items.length);
      expect(Array.from(batch.items.subarray(r * k, r * k + one.items.length))).toEqual(Array.from(one.items));
      expect(Array.from(batch.items.subarray(r * k + one.items.length, (r + 1) * k)).every((i) => i === -1)).toBe(true);
    });
  });

  it('uses the model scores unmasked when no seen matrix is given', async () => {
    const ui = CsrMatrix.fromCoo(2, 3, [0, 1, 1], [0, 0, 2]);
    const pop = new PopularityModel();
    await pop.fit({ ui });
    const r = topKForUsers(pop, Int32Array.of(0, 1), 2);
    expect(Array.from(r.items)).toEqual([0, 2, 0, 2]);
  });
});
