import { describe, expect, it } from 'vitest';
import { runAnnBench } from './ann.js';

describe('runAnnBench', () => {
  it('reports build time, recall@10 and latency per vector set on tiny sizes (no real datasets)', async () => {
    const r = await runAnnBench({ runs: 1, sizes: { worldItems: 60, hm: false, scaled: 400, alsItems: 300, alsShoppers: 60, queries: 20, efs: [32], alsGraphs: [{ M: 16, efAdd: 64, efs: [32] }] } });
    expect(r.suite).toBe('ann');
    expect(r.rows.map((row) => row.metric)).toEqual(['cos', 'cos', 'ip']);
    for (const row of r.rows) {
      expect(row['recall@10']).toBeGreaterThan(0.5);
      expect(row.p99Ms).toBeGreaterThan(0);
      expect(row.buildS).toBeGreaterThanOrEqual(0);
    }
    expect(r.notes.join('\n')).toMatch(/grown from the .* real ones/);
  });
});
