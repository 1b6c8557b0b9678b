import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../engine/engine.js';
import { expectNoTensorLeak } from '../../engine/leak.js';
import { TEST_PATTERNS, patternBatch } from '../test-utils/patterns.js';
import { DescriptorHeads } from './descriptor-heads.js';
import type { LabelHead } from './labels.js';

const WHITE = [255, 255, 255] as const;
const HEADS: LabelHead[] = [{ name: 'pattern', classes: [...TEST_PATTERNS], weight: 1 }];
const argmax = (v: Float32Array): number => v.indexOf(Math.max(...v));

describe('DescriptorHeads', () => {
  beforeAll(async () => {
    await initEngine();
  });

  it('learns patterns from the descriptors and predicts them on images it never saw', async () => {
    const train = patternBatch(48, 32);
    const test = patternBatch(24, 32, 1000);
    await expectNoTensorLeak(async () => {
      const heads = await DescriptorHeads.fit(train.images, HEADS, [train.labels], WHITE);
      const lp = await heads.logProbs(test.images);
      expect(lp).toHaveLength(24);
      for (const [p] of lp) expect([...p!].reduce((s, x) => s + Math.exp(x), 0)).toBeCloseTo(1, 4);
      const right = lp.filter(([p], i) => argmax(p!) === test.labels[i]).length;
      expect(right / 24).toBeGreaterThanOrEqual(0.9);
    }, 'fit and predict');
  });

  it('leaves unlabelled images out, round-trips through its tensors, and refuses missing tensors and other image sizes', async () => {
    const train = patternBatch(24, 32);
    const labels = Int32Array.from(train.labels, (l, i) => (i % 6 === 0 ? -1 : l));
    const heads = await DescriptorHeads.fit(train.images, HEADS, [labels], WHITE);
    const t = heads.tensors();
    expect(Object.keys(t).sort()).toEqual(['descriptors.b0', 'descriptors.mean', 'descriptors.std', 'descriptors.w0']);
    expect(t['descriptors.w0']!.shape).toEqual([DescriptorHeads.dim(32, WHITE), TEST_PATTERNS.length]);
    const back = DescriptorHeads.fromTensors(new Map(Object.entries(t)), 32, HEADS, WHITE, 'test');
    const a = await heads.logProbs(train.images);
    const b = await back.logProbs(train.images);
    a.forEach(([p], i) => expect([...b[i]![0]!]).toEqual([...p!]));
    const missing = new Map(Object.entries(t));
    missing.delete('descriptors.w0');
    expect(() => DescriptorHeads.fromTensors(missing, 32, HEADS, WHITE, 'test')).toThrow(expect.objectContaining({ code: 'MODEL_INCOMPATIBLE' }));
    // a head with other classes than the saved one
    const three: LabelHead[] = [{ name: 'pattern', classes: ['a', 'b', 'c'], weight: 1 }];
    expect(() => DescriptorHeads.fromTensors(new Map(Object.entries(t)), 32, three, WHITE, 'test')).toThrow(expect.objectContaining({ code: 'MODEL_INCOMPATIBLE' }));
    await expect(heads.logProbs(patternBatch(2, 16).images)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
