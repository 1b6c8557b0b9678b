import { describe, expect, it } from 'vitest';
import { buildDataset } from '../data/dataset.js';
import type { Item, ShopEvent } from '../data/schema.js';
import type { FitOptions, ModelKind, Recommender, TrainData } from '../recommend/recommender.js';
import { runExperiment } from './experiment.js';
import type { ModelFactory } from './experiment-types.js';
import { formatTable, rowToJson } from './report.js';

// 20 shoppers, 50 items in 5 categories (item i in category i % 5); shopper u
// bought 6 items of category u % 5, one per day.
const N_USERS = 20;
const N_ITEMS = 50;
const items: Item[] = Array.from({ length: N_ITEMS }, (_, i) => ({
  id: String(i),
  title: `item ${i}`,
  category: `c${i % 5}`,
  attributes: {},
  caption: '',
  price: null,
  image: null,
  createdAt: null,
}));
const events: ShopEvent[] = [];
for (let u = 0; u < N_USERS; u++) {
  for (let j = 0; j < 6; j++) {
    const item = (u % 5) + 5 * ((u + j) % 10);
    events.push({ key: `${u}-${j}`, shopperId: `u${u}`, itemId: String(item), type: 'purchase', ts: j * 86_400_000, value: 1, price: null, sessionId: null });
  }
}
const dataset = buildDataset('tiny', items, [], events);
const classOf = (u: number): number => u % 5;

/**
 * A fake family: mode "rule" scores the shopper's category high (HR@10 = 1
 * here), "anti" scores it low (HR@10 = 0). With `epochs`, it validates after
 * every epoch and is in "rule" mode only at epoch 3.
 */
function fake(kind: ModelKind, config: Record<string, unknown>): Recommender {
  const cfg = { mode: 'rule', ...(kind === 'bpr' ? { epochs: 5, seed: 0 } : {}), ...config };
  let mode = cfg.mode as string;
  const m: Recommender = {
    kind,
    config: cfg,
    nUsers: N_USERS,
    nItems: N_ITEMS,
    async fit(_data: TrainData, opts: FitOptions = {}) {
      const epochs = (cfg as { epochs?: number }).epochs;
      if (epochs === undefined) return;
      for (let e = 1; e <= epochs; e++) {
        mode = e === 3 ? 'rule' : 'anti';
        const v = opts.validate?.(m);
        opts.onEpoch?.({ epoch: e, epochs, seconds: 0, ...(v === undefined ? {} : { validation: v }) });
      }
      if (cfg.mode === 'rule' && epochs >= 3) mode = epochs === 3 ? 'rule' : 'anti';
    },
    scoreUser(u, out = new Float32Array(N_ITEMS)) {
      for (let i = 0; i < N_ITEMS; i++) out[i] = (i % 5 === classOf(u) ? 1 : 0) * (mode === 'rule' ? 1 : -1);
      return out;
    },
    save: async () => undefined,
  };
  return m;
}
const createModel: ModelFactory = (kind, config = {}) => fake(kind, config);

describe('runExperiment', () => {
  it('returns one row per model under the reference protocol', async () => {
    const phases = new Set<string>();
    const rows = await runExperiment({
      dataset,
      models: ['pop', 'itemknn'],
      createModel,
      modelConfigs: { itemknn: { mode: 'anti' } },
      onProgress: (p) => phases.add(p.phase),
    });
    expect(rows.map((r) => r.model)).toEqual(['pop', 'itemknn']);
    const [pop, knn] = rows;
    expect(pop!.protocol).toBe('leave-last-out');
    expect(pop!['hr@10']).toBe(1);
    expect(knn!['hr@10']).toBe(0);
    expect(pop!.users).toBe(20);
    expect(pop!.testPairs).toBe(20);
    expect(pop!.trainPairs).toBe(100);
    expect(pop!.diversityDistance).toBe('category');
    // top 10 = the 5 unseen items of the shopper's category, then the 5 lowest-index others
    expect(pop!.diversity).toBeGreaterThan(0);
    expect(pop!.diversity).toBeLessThan(1);
    expect(pop!.fitSeconds).toBeGreaterThanOrEqual(0);
    expect(pop!.cold.users).toBe(20); // 5 training pairs each: all cold
    expect(pop!.heavy.users).toBe(20); // and all tied at the heavy threshold
    expect(phases.has('evaluate pop')).toBe(true);
  });

  it('tunes on the validation split, early-stops epochs, then refits', async () => {
    const rows = await runExperiment({
      dataset,
      models: ['itemknn', 'bpr'],
      createModel,
      tune: true,
      grids: { itemknn: { params: { mode: ['anti', 'rule'] } } },
      protocol: 'leave-last-out, sampled-10',
    });
    const [knn, bpr] = rows;
    expect(knn!.hyperparameters.mode).toBe('rule');
    expect(knn!.validation?.metric).toBe('ndcg@10');
    // validation: 6 unseen same-category items tie at score 1, so the item is not always first
    expect(knn!.validation?.value).toBeGreaterThan(0.5);
    expect(bpr!.hyperparameters.epochs).toBe(3);
    expect(bpr!.hyperparameters.seed).toBe(42);
    expect(bpr!.protocol).toBe('leave-last-out, sampled-10');
    expect(bpr!['hr@10']).toBe(1);
    const json = rowToJson(bpr!);
    expect(Object.keys(json).slice(0, 8)).toEqual(['model', 'protocol', 'hr@10', 'ndcg@10', 'recall@20', 'map@10', 'precision@10', 'mrr']);
    expect(formatTable(rows).split('\n')).toHaveLength(4);
  });

  it('a grid with nothing to choose is applied without a validation fit', async () => {
    const [row] = await runExperiment({ dataset, models: ['pop'], createModel, tune: true, grids: { pop: { params: { mode: ['anti'] } } } });
    expect(row!.hyperparameters.mode).toBe('anti');
    expect(row!.tuned).toBe(false);
    expect(row!.validation).toBeNull();
  });

  it('uses the model registry by default', async () => {
    const rows = await runExperiment({ dataset, models: ['pop', 'itemknn'] });
    expect(rows.map((r) => r.model)).toEqual(['pop', 'itemknn']);
    expect(rows[0]!.hyperparameters.seed).toBe(42);
    for (const r of rows) {
      expect(r['hr@10']).toBeGreaterThanOrEqual(0);
      expect(r['hr@10']).toBeLessThanOrEqual(1);
      expect(r.fitSeconds).toBeGreaterThanOrEqual(0);
    }
  });

  it('stops on an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(runExperiment({ dataset, models: ['pop'], createModel, signal: ac.signal })).rejects.toThrow(/aborted/);
  });
});
