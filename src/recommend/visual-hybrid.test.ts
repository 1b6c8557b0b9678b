import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { CsrMatrix } from '../data/csr.js';
import { DvbprModel } from './dvbpr.js';
import { HybridModel } from './hybrid.js';
import { topK } from './rank.js';
import { loadModel } from './registry.js';
import { plantedTopics, topicContent } from './test-utils/fixtures.js';
import { withVisuals } from './test-utils/visual-fixtures.js';
import { blendParts, VisualHybridModel } from './visual-hybrid.js';

const ALS = { factors: 8, iterations: 8, alpha: 5 };
const VBPR = { factors: 4, visualFactors: 4, epochs: 30 };

/**
 * Planted data (4 topics) plus one new item nobody has interacted with that
 * looks like topic 0 but whose attributes and text belong to no topic (a
 * category and words of its own): content cannot place it, its image can.
 */
function withColdLookalike(): { data: ReturnType<typeof plantedTopics>; cold: number; fan: number } {
  const base = plantedTopics(51, 150, 60, 4, 12);
  const cold = base.ui.nCols;
  const ui = new CsrMatrix(base.ui.nRows, cold + 1, base.ui.indptr, base.ui.indices, base.ui.data);
  const look = Int32Array.from({ length: cold + 1 }, (_, i) => (i === cold ? 0 : base.topicOf[i]!));
  const described = Int32Array.from({ length: cold + 1 }, (_, i) => (i === cold ? 4 : base.topicOf[i]!));
  let fan = 0;
  let best = -1;
  for (let u = 0; u < ui.nRows; u++) {
    const items = Array.from(ui.rowIndices(u));
    const share = items.filter((i) => look[i] === 0).length / items.length;
    if (share > best) [best, fan] = [share, u];
  }
  const data = withVisuals({ ...base, ui, topicOf: look, content: topicContent(described, new Rng(5)) }, look);
  return { data, cold, fan };
}

describe('visual hybrid', () => {
  it('brings a new product to a shopper whose taste its look matches, where the ALS + content hybrid cannot', async () => {
    const { data, cold, fan } = withColdLookalike();
    const vh = new VisualHybridModel({ cfConfig: ALS, visualConfig: VBPR, seed: 3 });
    await vh.fit(data);
    const seen = data.ui.rowIndices(fan);
    expect(Array.from(topK(vh.scoreUser(fan), 10, { exclude: seen }).items)).toContain(cold);
    const hybrid = new HybridModel({ cfConfig: ALS, seed: 3 });
    await hybrid.fit(data);
    expect(Array.from(topK(hybrid.scoreUser(fan), 10, { exclude: seen }).items)).not.toContain(cold);
  });

  it('is exactly the hybrid when the visual share is 0', async () => {
    const { data, fan } = withColdLookalike();
    const vh = new VisualHybridModel({ cfConfig: ALS, visualConfig: { ...VBPR, epochs: 1 }, visualShare: 0, seed: 3 });
    const hybrid = new HybridModel({ cfConfig: ALS, seed: 3 });
    await vh.fit(data);
    await hybrid.fit(data);
    const a = vh.scoreUser(fan);
    const b = hybrid.scoreUser(fan);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
    const items = Int32Array.of(0, 4, 8);
    const w = Float32Array.of(1, 2, 8);
    const h = vh.scoreHistory(items, w);
    const hh = hybrid.scoreHistory(items, w);
    for (let i = 0; i < h.length; i++) expect(h[i]).toBeCloseTo(hh[i]!, 5);
  });

  it('folds a grown history into ALS and content and keeps the visual part on the trained shopper', async () => {
    const { data, fan } = withColdLookalike();
    const vh = new VisualHybridModel({ cfConfig: ALS, visualConfig: { ...VBPR, epochs: 2 } });
    await vh.fit(data);
    const items = Int32Array.from(data.ui.rowIndices(fan));
    const weights = Float32Array.from(data.ui.rowValues(fan));
    const s = vh.scoreUserHistory(fan, items, weights);
    expect(s).toHaveLength(61);
    expect(s.every(Number.isFinite)).toBe(true);
    expect(() => vh.scoreUser(150)).toThrow(expect.objectContaining({ code: 'UNKNOWN_ID' }));
  });

  it('saves and loads with a DVBPR visual part, scoring identically', async () => {
    const { data, fan } = withColdLookalike();
    const vh = new VisualHybridModel({ visual: 'dvbpr', cfConfig: ALS, visualConfig: { imageSize: 16, channels: [8, 8], embedding: 4, epochs: 1 }, seed: 2 });
    await vh.fit(data);
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-vh-'));
    try {
      await vh.save(dir);
      const back = loadModel(dir);
      expect(back).toBeInstanceOf(VisualHybridModel);
      expect(Array.from(back.scoreUser(fan))).toEqual(Array.from(vh.scoreUser(fan)));
      expect((back as VisualHybridModel).parts().visual).toBeInstanceOf(DvbprModel);
    } finally {
      vh.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks its configuration and needs fitting and the visual inputs', async () => {
    expect(() => new VisualHybridModel({ visualShare: 1.5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new VisualHybridModel({ visual: 'clip' as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new VisualHybridModel({ visualConfig: { epoch: 3 } })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(new VisualHybridModel({ visual: 'dvbpr', visualConfig: { imageSize: 16 } }).config.visual).toBe('dvbpr');
    expect(() => new VisualHybridModel().scoreUser(0)).toThrow(expect.objectContaining({ code: 'NOT_FITTED' }));
    const { data } = withColdLookalike();
    const { visual: _, ...noVisual } = data;
    await expect(new VisualHybridModel({ cfConfig: ALS }).fit(noVisual)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('blends standardised scores: per-item evidence weight, then the visual share of the rest', () => {
    const out = new Float32Array(3);
    const z = Math.sqrt(1.5); // (x - mean) / std of [1, 2, 3] at the ends
    blendParts(Float32Array.of(1, 2, 3), Float32Array.of(3, 2, 1), Float32Array.of(10, 20, 30), Float32Array.of(1, 0, 0.5), 0.25, out);
    expect(out[0]).toBeCloseTo(-z, 5);
    expect(out[1]).toBeCloseTo(0, 5);
    expect(out[2]).toBeCloseTo(0.5 * z + 0.5 * (0.25 * -z + 0.75 * z), 5);
  });
});
