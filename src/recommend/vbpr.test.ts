import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { CsrMatrix } from '../data/csr.js';
import type { TrainData } from './recommender.js';
import { topicFeatures, topicImages } from './test-utils/visual-fixtures.js';
import { VbprModel } from './vbpr.js';
import { vbprSgdPass, type VbprParams } from '../engine/cf/vbpr-sgd.js';

/** 24 shoppers, 18 items in 3 topics (item i in topic i % 3); shopper u buys topic u % 3; items 15-17 have no interactions. */
function tinyShop(): TrainData & { topicOf: Int32Array } {
  const topicOf = Int32Array.from({ length: 18 }, (_, i) => i % 3);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < 24; u++) {
    for (let i = 0; i < 15; i++) {
      if (i % 3 === u % 3 && (i + u) % 2 === 0) {
        rows.push(u);
        cols.push(i);
      }
    }
  }
  const images = topicImages(topicOf, 4, 3);
  return { ui: CsrMatrix.fromCoo(24, 18, rows, cols), visual: topicFeatures(images, topicOf, 4), topicOf };
}

/** x_uij of eq. 3 from the parameters, in double precision. */
function xuij(p: VbprParams, f: Float32Array, u: number, i: number, j: number, k: number, k2: number, F: number): number {
  let x = p.bi[i]! - p.bi[j]!;
  for (let c = 0; c < k; c++) x += p.gu[u * k + c]! * (p.gi[i * k + c]! - p.gi[j * k + c]!);
  for (let q = 0; q < F; q++) {
    const d = f[i * F + q]! - f[j * F + q]!;
    x += p.bv[q]! * d;
    for (let r = 0; r < k2; r++) x += p.tu[u * k2 + r]! * p.e[r * F + q]! * d;
  }
  return x;
}

describe('VBPR', () => {
  it('takes SGD steps along the gradient of ln σ(x_uij) (finite differences, no regularisation)', () => {
    const [k, k2, F, lr] = [3, 2, 5, 0.1];
    const rng = new Rng(4);
    const rand = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.uniform(-0.5, 0.5));
    const p: VbprParams = { gu: rand(2 * k), tu: rand(2 * k2), gi: rand(3 * k), bi: rand(3), e: rand(k2 * F), bv: rand(F) };
    const f = rand(3 * F);
    const before = { gu: p.gu.slice(), tu: p.tu.slice(), gi: p.gi.slice(), bi: p.bi.slice(), e: p.e.slice(), bv: p.bv.slice() };
    const triple = { user: Int32Array.of(1), pos: Int32Array.of(0), neg: Int32Array.of(2) };
    vbprSgdPass(p, f, triple, { k, k2, f: F }, { lr, reg: 0, biasReg: 0, projectionReg: 0 });
    const logLik = (q: VbprParams): number => -Math.log1p(Math.exp(-xuij(q, f, 1, 0, 2, k, k2, F)));
    for (const name of ['gu', 'tu', 'gi', 'bi', 'e', 'bv'] as const) {
      for (let idx = 0; idx < before[name].length; idx++) {
        const h = 1e-3;
        const at = (delta: number): number => {
          const q = { ...before, [name]: before[name].slice() } as VbprParams;
          q[name][idx] = q[name][idx]! + delta;
          return logLik(q);
        };
        const grad = (at(h) - at(-h)) / (2 * h);
        const step = (p[name][idx]! - before[name][idx]!) / lr;
        expect(step).toBeCloseTo(grad, 3);
      }
    }
  });

  it('ranks items nobody has interacted with by their look', async () => {
    const data = tinyShop();
    const m = new VbprModel({ factors: 4, visualFactors: 4, epochs: 60, seed: 2 });
    await m.fit(data);
    const f = data.visual!;
    for (let u = 0; u < 24; u++) {
      const s = m.scoreUser(u);
      const own = 15 + (u % 3);
      for (const other of [15, 16, 17]) if (other !== own) expect(s[own]!).toBeGreaterThan(s[other]!);
    }
    // A new product's row from its features scores exactly like the cold item with those features.
    const row = m.itemRowFor(f.data.slice(16 * f.dim, 17 * f.dim));
    const saved = m.artifact().tensors;
    const x = saved.userFactors!.data as Float32Array;
    const d = row.length;
    let dot = 0;
    for (let c = 0; c < d; c++) dot += x[5 * d + c]! * row[c]!;
    expect(dot).toBeCloseTo(m.scoreUser(5)[16]!, 5);
  });

  it('refuses training without visual features, or features for another catalog', async () => {
    const data = tinyShop();
    const m = new VbprModel({ epochs: 1 });
    await expect(m.fit({ ui: data.ui })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const short = { ...data.visual!, nItems: 17, data: data.visual!.data.slice(0, 17 * data.visual!.dim), present: data.visual!.present.slice(0, 17) };
    await expect(m.fit({ ui: data.ui, visual: short })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => m.itemRowFor(new Float32Array(3))).toThrow(expect.objectContaining({ code: 'NOT_FITTED' }));
  });
});
