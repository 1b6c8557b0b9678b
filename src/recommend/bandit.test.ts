import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { banditConfig, betaSample, exploreSlate, type ArmStats } from './bandit.js';
import type { Ranked } from './rank.js';

/** 50 candidates, item i scored 50 - i (so the model's top k is items 0..k-1). */
const candidates: Ranked = { items: Int32Array.from({ length: 50 }, (_, i) => i), scores: Float32Array.from({ length: 50 }, (_, i) => 50 - i) };
const noStats: ArmStats = { impressions: new Float64Array(50), clicks: new Float64Array(50) };

function exploredShare(strategy: 'thompson' | 'epsilon-greedy', w: number, stats = noStats): number {
  const rng = new Rng(1);
  const cfg = banditConfig({ strategy, explorationWeight: w });
  let explored = 0;
  for (let r = 0; r < 300; r++) explored += exploreSlate(candidates, 10, stats, cfg, rng).explored.reduce((s, x) => s + x, 0);
  return explored / 3000;
}

describe('bandit', () => {
  it('with weight 0 shows the model ranking', () => {
    for (const strategy of ['thompson', 'epsilon-greedy'] as const) {
      const s = exploreSlate(candidates, 10, noStats, banditConfig({ strategy, explorationWeight: 0 }), new Rng(3));
      expect(Array.from(s.items)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(s.explored.every((x) => x === 0)).toBe(true);
    }
  });

  it('is deterministic for a seed and explores more as the weight grows', () => {
    const cfg = banditConfig({ explorationWeight: 0.5 });
    const a = exploreSlate(candidates, 10, noStats, cfg, new Rng(9));
    const b = exploreSlate(candidates, 10, noStats, cfg, new Rng(9));
    expect(Array.from(a.items)).toEqual(Array.from(b.items));
    for (const strategy of ['thompson', 'epsilon-greedy'] as const) {
      const low = exploredShare(strategy, 0.05);
      const high = exploredShare(strategy, 0.6);
      expect(high).toBeGreaterThan(low);
      expect(high).toBeGreaterThan(0.1);
    }
  });

  it('Thompson sampling favours items that earned clicks over items that earned none', () => {
    const impressions = new Float64Array(50).fill(2000);
    const clicks = new Float64Array(50);
    clicks[40] = 600; // a low-ranked item with a 30% CTR
    const rng = new Rng(5);
    const cfg = banditConfig({ strategy: 'thompson', explorationWeight: 0.7 });
    let shown = 0;
    for (let r = 0; r < 100; r++) if (exploreSlate(candidates, 10, { impressions, clicks }, cfg, rng).items.includes(40)) shown++;
    expect(shown).toBeGreaterThan(90);
  });

  it('draws Beta variates with the right mean', () => {
    const rng = new Rng(2);
    let sum = 0;
    for (let i = 0; i < 4000; i++) sum += betaSample(rng, 2, 8);
    expect(sum / 4000).toBeCloseTo(0.2, 1);
  });

  it('rejects a weight outside [0, 1]', () => {
    expect(() => banditConfig({ explorationWeight: 1.5 })).toThrow(/explorationWeight/);
  });
});
