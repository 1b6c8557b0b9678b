import { describe, expect, it } from 'vitest';
import type { Manifest } from '../core/artifact.js';
import { AlsModel } from './als.js';
import { topK } from './rank.js';
import { plantedTopics } from './test-utils/fixtures.js';

const data = plantedTopics(21, 120, 60, 4, 15);

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k]! * b[k]!;
    aa += a[k]! ** 2;
    bb += b[k]! ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

function overlap(a: Int32Array, b: Int32Array): number {
  return Array.from(a).filter((i) => b.includes(i)).length;
}

describe('ALS', () => {
  it('documents both confidence conventions', () => {
    expect(new AlsModel({ alpha: 2 }).confidenceOf(3)).toBe(6);
    expect(new AlsModel({ alpha: 2, confidence: 'textbook' }).confidenceOf(3)).toBe(7);
  });

  it('conjugate gradient with many steps reproduces the exact solver', async () => {
    const exact = new AlsModel({ factors: 6, iterations: 4, solver: 'exact', seed: 2 });
    const cg = new AlsModel({ factors: 6, iterations: 4, solver: 'cg', cgSteps: 30, seed: 2 });
    await exact.fit(data);
    await cg.fit(data);
    const a = exact.factors().itemFactors;
    const b = cg.factors().itemFactors;
    for (let k = 0; k < a.length; k++) expect(b[k]).toBeCloseTo(a[k]!, 3);
  });

  it('conjugate gradient with 3 steps scores close to the exact solver', async () => {
    const exact = new AlsModel({ factors: 8, iterations: 15, solver: 'exact', seed: 2 });
    const cg = new AlsModel({ factors: 8, iterations: 15, seed: 2 });
    await exact.fit(data);
    await cg.fit(data);
    let shared = 0;
    for (let u = 0; u < 40; u++) {
      const seen = data.ui.rowIndices(u);
      expect(cosine(exact.scoreUser(u), cg.scoreUser(u))).toBeGreaterThan(0.99);
      shared += overlap(topK(exact.scoreUser(u), 10, { exclude: seen }).items, topK(cg.scoreUser(u), 10, { exclude: seen }).items);
    }
    expect(shared / 40).toBeGreaterThan(8.5);
  });

  it('folds a training shopper back in close to the fitted vector, with overlapping top-k', async () => {
    const m = new AlsModel({ factors: 8, iterations: 20, solver: 'exact', seed: 3 });
    await m.fit(data);
    const { userFactors } = m.factors();
    let shared = 0;
    for (let u = 0; u < 30; u++) {
      const items = data.ui.rowIndices(u);
      const weights = data.ui.rowValues(u);
      const folded = m.foldIn(items, weights);
      expect(cosine(folded, userFactors.subarray(u * 8, (u + 1) * 8))).toBeGreaterThan(0.999);
      const viaHistory = topK(m.scoreHistory(items, weights), 10, { exclude: items }).items;
      shared += overlap(viaHistory, topK(m.scoreUser(u), 10, { exclude: items }).items);
    }
    expect(shared / 30).toBeGreaterThan(9.5);
  });

  it('folds an item in from its shoppers: with the exact solver, the fitted item vector itself (ALS ends on the item step)', async () => {
    const m = new AlsModel({ factors: 8, iterations: 10, solver: 'exact', seed: 4 });
    await m.fit(data);
    const { itemFactors } = m.factors();
    const iu = data.ui.transpose();
    let checked = 0;
    for (let i = 0; i < iu.nRows && checked < 20; i++) {
      const users = iu.rowIndices(i);
      if (users.length === 0) continue;
      const folded = m.foldInItem(users, iu.rowValues(i));
      Array.from(folded).forEach((v, j) => expect(v).toBeCloseTo(itemFactors[i * 8 + j]!, 4));
      checked++;
    }
    expect(checked).toBe(20);
    expect(() => m.foldInItem(Int32Array.of(data.ui.nRows), Float32Array.of(1))).toThrow(/not one of the model's \d+ users/);
  });

  it('saves YᵀY with the factors, and restores artifacts saved without it to the same fold-in', async () => {
    const m = new AlsModel({ factors: 6, iterations: 4, seed: 2 });
    await m.fit(data);
    const { input, tensors } = m.artifact();
    expect(tensors.itemGram?.shape).toEqual([6, 6]);
    const manifest = { ...input, format: 'vitrine-artifact', formatVersion: 1, createdAt: '', dataFingerprint: input.dataFingerprint ?? null, metrics: {}, tensors: [], extra: input.extra ?? {} } as Manifest;
    const withGram = AlsModel.restore(manifest, new Map(Object.entries(tensors)));
    const { itemGram: _gram, ...legacy } = tensors;
    const without = AlsModel.restore(manifest, new Map(Object.entries(legacy)));
    const items = data.ui.rowIndices(4);
    const weights = data.ui.rowValues(4);
    const expected = Array.from(m.foldIn(items, weights));
    expect(Array.from(withGram.foldIn(items, weights))).toEqual(expected);
    Array.from(without.foldIn(items, weights)).forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 5));
    // the saved matrix is the one used (not recomputed): a different one changes the fold-in
    const doubled = { ...tensors, itemGram: { ...tensors.itemGram!, data: (tensors.itemGram!.data as Float64Array).map((v) => 2 * v) } };
    expect(Array.from(AlsModel.restore(manifest, new Map(Object.entries(doubled))).foldIn(items, weights))).not.toEqual(expected);
  });

  it('folds in a history with duplicates as their summed strength, and rejects unknown items', async () => {
    const m = new AlsModel({ factors: 4, iterations: 3 });
    await m.fit(data);
    const a = m.foldIn(Int32Array.of(3, 5, 3), Float32Array.of(1, 1, 1));
    const b = m.foldIn(Int32Array.of(3, 5), Float32Array.of(2, 1));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(() => m.foldIn(Int32Array.of(999), Float32Array.of(1))).toThrow(/not one of/);
  });

  it('reports every sweep through onEpoch', async () => {
    const epochs: number[] = [];
    await new AlsModel({ factors: 4, iterations: 5 }).fit(data, { onEpoch: (r) => epochs.push(r.epoch) });
    expect(epochs).toEqual([1, 2, 3, 4, 5]);
  });
});
