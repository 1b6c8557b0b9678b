import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../data/dataset.js';
import { generateWorld, worldEvents } from '../../data/world/index.js';
import { trainBundle } from '../../evaluate/train-bundle.js';
import { fastScorer } from './fast-scorer.js';

/** The serving fast path must give the model's own scores (conventions.md #5: a reference beside each fast path). */
describe('fast scorer', () => {
  it('agrees with ALS and the hybrid on trained users and folded-in histories', async () => {
    const world = await generateWorld({ items: 80, shoppers: 40, days: 5, seed: 9 });
    const dataset = buildDataset('w', world.items, world.shoppers, worldEvents(world));
    const items = Int32Array.of(3, 17, 42);
    const weights = Float32Array.of(1, 2, 8);
    for (const kind of ['als', 'hybrid', 'pop'] as const) {
      const { bundle } = await trainBundle({ dataset, kind, evaluate: false, config: kind === 'als' ? { factors: 8, iterations: 4 } : kind === 'hybrid' ? { cfConfig: { factors: 8, iterations: 4 } } : {} });
      const fast = fastScorer(bundle);
      const close = (a: Float32Array, b: Float32Array): void => {
        expect(a.length).toBe(b.length);
        for (let i = 0; i < a.length; i++) expect(a[i]!).toBeCloseTo(b[i]!, 4);
      };
      close(fast.scoreUser(5).slice(), bundle.model.scoreUser(5));
      if (bundle.model.scoreHistory !== undefined) close(fast.scoreHistory(items, weights).slice(), bundle.model.scoreHistory(items, weights));
      // a second call reuses the buffer: still right
      close(fast.scoreUser(6).slice(), bundle.model.scoreUser(6));
    }
  });
});
