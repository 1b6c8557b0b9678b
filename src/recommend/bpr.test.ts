import { describe, expect, it } from 'vitest';
import { BprModel } from './bpr.js';
import type { EpochReport, Recommender } from './recommender.js';
import { plantedTopics } from './test-utils/fixtures.js';

const data = plantedTopics(31, 100, 50, 4, 12);

describe('BPR', () => {
  it('lowers its training loss', async () => {
    const losses: number[] = [];
    await new BprModel({ factors: 8, epochs: 30, learningRate: 0.05 }).fit(data, { onEpoch: (r) => losses.push(r.loss!) });
    expect(losses).toHaveLength(30);
    expect(losses[29]!).toBeLessThan(losses[0]! * 0.8);
  });

  it('stops early after `patience` evaluations without improvement and keeps the best parameters', async () => {
    const m = new BprModel({ factors: 4, epochs: 100, validateEvery: 2, patience: 2 });
    // A validation metric that peaks at the 3rd evaluation (epoch 6), read from the model's scores.
    let calls = 0;
    const fingerprintAt: number[] = [];
    const validate = (model: Recommender): { name: string; value: number } => {
      calls++;
      fingerprintAt.push(model.scoreUser(0)[0]!);
      return { name: 'fake', value: calls === 3 ? 1 : 0.5 - calls * 0.01 };
    };
    const reports: EpochReport[] = [];
    await m.fit(data, { validate, onEpoch: (r) => reports.push(r) });
    expect(calls).toBe(5); // best at 3, then 2 evaluations without improvement
    expect(reports.at(-1)!.epoch).toBe(10);
    expect(reports.filter((r) => r.validation !== undefined).map((r) => r.epoch)).toEqual([2, 4, 6, 8, 10]);
    expect(m.scoreUser(0)[0]).toBe(fingerprintAt[2]);
  });

  it('samples negatives uniformly when asked, with different results', async () => {
    const a = new BprModel({ factors: 4, epochs: 3 });
    const b = new BprModel({ factors: 4, epochs: 3, negativeSampling: 'uniform' });
    await a.fit(data);
    await b.fit(data);
    expect(Array.from(a.scoreUser(1))).not.toEqual(Array.from(b.scoreUser(1)));
  });
});
