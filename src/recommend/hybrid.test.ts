import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { CsrMatrix } from '../data/csr.js';
import { AlsModel } from './als.js';
import { blend, HybridModel } from './hybrid.js';
import { topK } from './rank.js';
import { plantedTopics, topicContent } from './test-utils/fixtures.js';

/** Planted data plus one brand-new item (index nItems) of topic 0 that nobody has interacted with. */
function withColdItem(): { data: ReturnType<typeof plantedTopics>; cold: number; fan: number } {
  const base = plantedTopics(51, 150, 60, 4, 12);
  const cold = base.ui.nCols;
  const ui = new CsrMatrix(base.ui.nRows, cold + 1, base.ui.indptr, base.ui.indices, base.ui.data);
  const topicOf = Int32Array.from({ length: cold + 1 }, (_, i) => (i === cold ? 0 : base.topicOf[i]!));
  // The shopper whose history is most concentrated on topic 0.
  let fan = 0;
  let best = -1;
  for (let u = 0; u < ui.nRows; u++) {
    const items = Array.from(ui.rowIndices(u));
    const share = items.filter((i) => topicOf[i] === 0).length / items.length;
    if (share > best) [best, fan] = [share, u];
  }
  return { data: { ...base, ui, topicOf, content: topicContent(topicOf, new Rng(5)) }, cold, fan };
}

describe('hybrid', () => {
  it('recommends a product with no interactions to a shopper whose taste it matches', async () => {
    const { data, cold, fan } = withColdItem();
    const cfg = { factors: 8, iterations: 10, alpha: 5 };
    const hybrid = new HybridModel({ cfConfig: cfg });
    await hybrid.fit(data);
    const seen = data.ui.rowIndices(fan);
    expect(Array.from(topK(hybrid.scoreUser(fan), 10, { exclude: seen }).items)).toContain(cold);
    // CF alone cannot: the new item's factors are zero.
    const als = new AlsModel(cfg);
    await als.fit(data);
    expect(Array.from(topK(als.scoreUser(fan), 10, { exclude: seen }).items)).not.toContain(cold);
    // ...and a shopper with another taste does not get it near the top.
    const other = Array.from({ length: data.ui.nRows }, (_, u) => u).find((u) => Array.from(data.ui.rowIndices(u)).every((i) => data.topicOf[i] !== 0))!;
    expect(Array.from(topK(hybrid.scoreUser(other), 10, { exclude: data.ui.rowIndices(other) }).items)).not.toContain(cold);
  });

  it('scores a history through content and the CF fold-in', async () => {
    const { data, cold } = withColdItem();
    const hybrid = new HybridModel({ cfConfig: { factors: 8, iterations: 5 } });
    await hybrid.fit(data);
    const topic0 = Int32Array.from(Array.from({ length: 60 }, (_, i) => i).filter((i) => data.topicOf[i] === 0).slice(0, 6));
    const s = hybrid.scoreHistory(topic0, new Float32Array(topic0.length).fill(1));
    expect(Array.from(topK(s, 10, { exclude: topic0 }).items)).toContain(cold);
  });

  it('blends standardised scores with per-item weights', () => {
    const out = new Float32Array(3);
    blend(Float32Array.of(1, 2, 3), Float32Array.of(30, 20, 10), Float32Array.of(1, 0, 0.5), out);
    const z = Math.sqrt(1.5); // (x - mean) / std for [1, 2, 3]
    expect(out[0]).toBeCloseTo(-z, 5);
    expect(out[1]).toBeCloseTo(0, 5);
    expect(out[2]).toBeCloseTo(0.5 * z - 0.5 * z, 5);
  });

  it('validates its parts at construction', () => {
    expect(() => new HybridModel({ cfConfig: { factors: 0 } })).toThrow(/factors/);
    expect(() => new HybridModel({ cf: 'pop' as never })).toThrow(/cf must be one of/);
  });
});
