import { describe, expect, it } from 'vitest';
import { IdMap } from '../../core/ids.js';
import { buildDataset } from '../../data/dataset.js';
import { generateWorld, worldEvents } from '../../data/world/index.js';
import { trainBundle } from '../../evaluate/train-bundle.js';
import { plantedTopics } from '../../recommend/test-utils/fixtures.js';
import { withVisuals } from '../../recommend/test-utils/visual-fixtures.js';
import { VisualHybridModel } from '../../recommend/visual-hybrid.js';
import { fastScorer } from './fast-scorer.js';

function close(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]!).toBeCloseTo(b[i]!, 4);
}

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
      close(fast.scoreUser(5).slice(), bundle.model.scoreUser(5));
      if (bundle.model.scoreHistory !== undefined) close(fast.scoreHistory(items, weights).slice(), bundle.model.scoreHistory(items, weights));
      // a second call reuses the buffer: still right
      close(fast.scoreUser(6).slice(), bundle.model.scoreUser(6));
    }
  });

  it('agrees with the visual hybrid, and keeps its trained visual vector for a grown history', async () => {
    const planted = plantedTopics(4, 60, 40, 4, 8);
    const data = withVisuals(planted, planted.topicOf);
    const model = new VisualHybridModel({ cfConfig: { factors: 8, iterations: 4 }, visualConfig: { factors: 4, visualFactors: 4, epochs: 3 }, seed: 2 });
    await model.fit(data);
    const ids = (n: number, p: string): IdMap => IdMap.from(Array.from({ length: n }, (_, i) => `${p}${i}`));
    const fast = fastScorer({ model, users: ids(60, 'u'), items: ids(40, 'i'), popularity: new Float32Array(40), info: {} as never });
    const items = Int32Array.of(1, 7, 30);
    const weights = Float32Array.of(1, 2, 8);
    close(fast.scoreUser(5).slice(), model.scoreUser(5));
    close(fast.scoreHistory(items, weights).slice(), model.scoreHistory(items, weights));
    const grown = fast.scoreUserHistory!(5, items, weights).slice();
    close(grown, model.scoreUserHistory(5, items, weights));
    // the trained shopper's visual vector makes it differ from the history alone
    expect(grown.some((v, i) => Math.abs(v - model.scoreHistory(items, weights)[i]!) > 1e-3)).toBe(true);
  });
});
