import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsrMatrix } from '../data/csr.js';
import { initEngine } from '../engine/engine.js';
import { expectNoTensorLeak } from '../engine/leak.js';
import { tf } from '../engine/tf.js';
import { DvbprModel } from './dvbpr.js';
import { buildDvbprNet, netParamShapes } from './dvbpr-net.js';
import type { TrainData } from './recommender.js';
import { loadModel } from './registry.js';
import { Rng } from '../core/rng.js';
import { topicImages } from './test-utils/visual-fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'vitrine-dvbpr-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await initEngine();
});

/**
 * 24 shoppers, 18 items in 3 colour topics (item i in topic i % 3); shopper u
 * buys items of topic u % 3 only. Items 15-17 (one per topic) have no
 * interactions (cold); item 14 has interactions but no image.
 */
function tinyShop(size = 8): TrainData & { topicOf: Int32Array } {
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
  return { ui: CsrMatrix.fromCoo(24, 18, rows, cols), images: topicImages(topicOf, size, 3, [14]), topicOf };
}

const TINY = { imageSize: 8, channels: [4], embedding: 4, epochs: 8, batchSize: 16, learningRate: 0.03, seed: 1 };

describe('DVBPR', () => {
  it('fits, scores, saves, loads and differentiates without leaking tensors', async () => {
    await expectNoTensorLeak(async () => {
      const data = tinyShop();
      const m = new DvbprModel(TINY);
      await m.fit(data);
      await m.save(join(tmp, 'tiny'));
      const back = loadModel(join(tmp, 'tiny')) as DvbprModel;
      expect(Buffer.from(back.scoreUser(3).buffer).equals(Buffer.from(m.scoreUser(3).buffer))).toBe(true);
      const x = tf.tensor4d(data.images!.data.slice(0, 2 * 8 * 8 * 3), [2, 8, 8, 3]);
      const a = m.preference(3, x);
      const b = back.preference([3, 4], x);
      expect(a.shape).toEqual([2]);
      expect(b.shape).toEqual([2, 2]);
      expect(Array.from(b.dataSync().slice(0, 2))).toEqual(Array.from(a.dataSync()));
      tf.dispose([x, a, b]);
      m.dispose();
      back.dispose();
    }, 'dvbpr fit/save/load/preference');
  });

  it('learns the planted colour topics, scoring cold items by their image and imageless items 0', async () => {
    const data = tinyShop();
    const m = new DvbprModel(TINY);
    await m.fit(data);
    for (let u = 0; u < 6; u++) {
      const s = m.scoreUser(u);
      const own = 15 + (u % 3); // the cold item of the shopper's topic
      for (const other of [15, 16, 17]) if (other !== own) expect(s[own]!).toBeGreaterThan(s[other]!);
      expect(s[14]).toBe(0);
    }
  });

  it('preference matches the cached scores, and its image gradient matches a finite difference', async () => {
    const data = tinyShop();
    const m = new DvbprModel(TINY);
    await m.fit(data);
    const per = 8 * 8 * 3;
    const pixels = data.images!.data.slice(15 * per, 18 * per); // the three cold items
    const cached = m.scoreUser(5);
    const x = tf.tensor4d(pixels, [3, 8, 8, 3]);
    const pref = m.preference(5, x).dataSync();
    for (let r = 0; r < 3; r++) expect(pref[r]!).toBeCloseTo(cached[15 + r]!, 5);
    const f = (t: tf.Tensor): tf.Scalar => tf.sum(m.preference(5, t as tf.Tensor4D));
    const grad = tf.grad(f)(x);
    const g = grad.dataSync();
    expect(Math.max(...Array.from(g, Math.abs))).toBeGreaterThan(1e-4);
    // Small enough not to cross a leaky-ReLU kink, large enough for float32 differences.
    const h = 1e-3;
    const rng = new Rng(9);
    for (let t = 0; t < 6; t++) {
      const k = rng.int(pixels.length);
      const bump = (d: number): number => {
        const p = pixels.slice();
        p[k] = p[k]! + d;
        return tf.tidy(() => f(tf.tensor4d(p, [3, 8, 8, 3])).dataSync()[0]!);
      };
      const fd = (bump(h) - bump(-h)) / (2 * h);
      expect(Math.abs(fd - g[k]!)).toBeLessThan(2e-3 + 0.02 * Math.abs(g[k]!));
    }
    tf.dispose([x, grad]);
    m.dispose();
  });

  it('refuses missing or mis-sized images and shapes that do not halve', async () => {
    const data = tinyShop();
    const m = new DvbprModel(TINY);
    await expect(m.fit({ ui: data.ui })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(m.fit({ ...data, images: topicImages(data.topicOf, 16, 1) })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => new DvbprModel({ imageSize: 12, channels: [4, 4, 4] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new DvbprModel({ channels: [] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('names every parameter of φ as netParamShapes predicts', () => {
    const cfg = { inputSize: 16, channels: [4, 6], embedding: 5, leak: 0.1 };
    const net = buildDvbprNet(cfg, new Rng(0));
    const got = new Map([...net.params()].map(([n, v]) => [n, [...v.shape]]));
    expect(got).toEqual(netParamShapes(cfg));
    net.dispose();
  });
});
