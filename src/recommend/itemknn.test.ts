import { describe, expect, it } from 'vitest';
import { ItemKnnModel } from './itemknn.js';
import { plantedTopics } from './test-utils/fixtures.js';

const data = plantedTopics(41, 60, 30, 3, 8);

/** Brute-force cosine between item columns. */
function cosineSim(i: number, j: number): number {
  let ij = 0;
  let ii = 0;
  let jj = 0;
  for (let u = 0; u < data.ui.nRows; u++) {
    const row = Array.from(data.ui.rowIndices(u));
    const a = row.includes(i) ? 1 : 0;
    const b = row.includes(j) ? 1 : 0;
    ij += a * b;
    ii += a;
    jj += b;
  }
  return ii && jj ? ij / Math.sqrt(ii * jj) : 0;
}

describe('item-kNN', () => {
  it('keeps exactly the K most cosine-similar items per item', async () => {
    const K = 5;
    const m = new ItemKnnModel({ neighbours: K });
    await m.fit(data);
    for (const i of [0, 7, 29]) {
      const nb = m.neighboursOf(i);
      expect(nb.items.length).toBeLessThanOrEqual(K);
      expect(nb.items.includes(i)).toBe(false);
      const sims = Array.from({ length: 30 }, (_, j) => (j === i ? -1 : cosineSim(i, j)));
      const kth = [...sims].sort((a, b) => b - a)[K - 1]!;
      nb.items.forEach((j, t) => {
        expect(nb.scores[t]).toBeCloseTo(sims[j]!, 5);
        expect(sims[j]!).toBeGreaterThanOrEqual(kth - 1e-6);
      });
    }
  });

  it('scores a history like the user it came from', async () => {
    const m = new ItemKnnModel({ neighbours: 10 });
    await m.fit(data);
    for (const u of [0, 13]) {
      expect(Array.from(m.scoreHistory(data.ui.rowIndices(u), data.ui.rowValues(u)))).toEqual(Array.from(m.scoreUser(u)));
    }
  });

  it('shrinkage damps every similarity', async () => {
    const plain = new ItemKnnModel({ neighbours: 29 });
    const shrunk = new ItemKnnModel({ neighbours: 29, shrinkage: 5 });
    await plain.fit(data);
    await shrunk.fit(data);
    const a = plain.neighboursOf(3);
    const b = shrunk.neighboursOf(3);
    expect(Array.from(b.items)).toEqual(Array.from(a.items));
    b.scores.forEach((s, t) => expect(s).toBeLessThan(a.scores[t]!));
  });
});
