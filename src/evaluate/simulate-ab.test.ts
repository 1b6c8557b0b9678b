import { describe, expect, it } from 'vitest';
import { simulateAb } from './simulate-ab.js';

describe('simulated A/B test on the world', () => {
  it('measures a personalised model against random and popularity on ground truth, with intervals', async () => {
    const opts = { variants: ['random', 'pop', 'als'], shoppers: 400, days: 4, items: 200, historyDays: 20, seed: 5 };
    const r = await simulateAb(opts);
    expect(r.variants.map((v) => v.variant)).toEqual(['random', 'pop', 'als']);
    expect(r.variants.reduce((s, v) => s + v.shoppers, 0)).toBe(400);
    for (const v of r.variants) {
      // hashing splits 400 shoppers about evenly (expected 133 each)
      expect(v.shoppers).toBeGreaterThan(100);
      expect(v.impressions).toBe(10 * v.visits);
      expect(v.ctr.lo).toBeLessThanOrEqual(v.ctr.rate);
      expect(v.ctr.hi).toBeGreaterThanOrEqual(v.ctr.rate);
      expect(v.trueUtility.lo).toBeLessThan(v.trueUtility.hi);
    }
    const [random, pop, als] = r.variants;
    // ground truth: a personalised model shows products the shoppers truly like more
    expect(als!.trueUtility.mean).toBeGreaterThan(random!.trueUtility.mean);
    expect(als!.ctr.rate).toBeGreaterThan(random!.ctr.rate);
    expect(pop!.ctr.rate).toBeGreaterThan(random!.ctr.rate);
    const alsLift = r.lifts.find((l) => l.variant === 'als')!;
    expect(alsLift.control).toBe('random');
    expect(alsLift.trueUtility.diff).toBeGreaterThan(0);
    expect(alsLift.trueUtility.pValue).toBeLessThan(0.01);
    expect(alsLift.ctr.ci.lo).toBeGreaterThan(0);
    // deterministic for its options
    const again = await simulateAb(opts);
    expect(again.variants.map((v) => v.clicks)).toEqual(r.variants.map((v) => v.clicks));
  }, 60_000);

  it('runs the visual hybrid (ALS, VBPR over the world\'s product images, content) beside ALS', async () => {
    const phases = new Set<string>();
    const r = await simulateAb({ variants: ['als', 'visual-hybrid'], shoppers: 150, days: 2, items: 80, historyDays: 10, seed: 3, onProgress: (p) => phases.add(p.phase) });
    expect(r.variants.map((v) => v.variant)).toEqual(['als', 'visual-hybrid']);
    const vh = r.variants[1]!;
    expect(vh.describe).toMatch(/VBPR/);
    expect(vh.visits).toBeGreaterThan(0);
    expect(vh.impressions).toBe(10 * vh.visits);
    expect(vh.ctr.rate).toBeGreaterThan(0);
    expect(vh.ctr.lo).toBeLessThanOrEqual(vh.ctr.rate);
    expect(vh.ctr.hi).toBeGreaterThanOrEqual(vh.ctr.rate);
    expect(vh.conversion.lo).toBeLessThanOrEqual(vh.conversion.hi);
    expect(Number.isFinite(vh.trueUtility.mean)).toBe(true);
    expect(r.lifts[0]).toMatchObject({ variant: 'visual-hybrid', control: 'als' });
    // the product images were rendered, read and embedded for VBPR, which then trained
    expect([...phases]).toEqual(expect.arrayContaining(['render images', 'load item images', 'embed item images (classic)', 'fit vbpr (visual-hybrid)']));
  }, 30_000);

  it('refuses unknown variants and a test of one', async () => {
    await expect(simulateAb({ variants: ['als', 'gpt'], shoppers: 10, days: 1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('gpt') });
    await expect(simulateAb({ variants: ['als'], shoppers: 10, days: 1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
