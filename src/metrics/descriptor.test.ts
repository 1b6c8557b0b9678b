import { describe, expect, it } from 'vitest';
import { metricByName } from './descriptor.js';

describe('metricByName', () => {
  it('parses canonical names and aliases', () => {
    expect(metricByName('ndcg@10')).toEqual({ name: 'ndcg@10', family: 'ndcg', k: 10, higherIsBetter: true });
    expect(metricByName('HR@10').name).toBe('hr@10');
    expect(metricByName('p@5')).toMatchObject({ name: 'precision@5', k: 5 });
    expect(metricByName('mrr')).toMatchObject({ name: 'mrr', k: null });
    expect(metricByName('coverage')).toMatchObject({ name: 'coverage', k: 10 });
    expect(metricByName('coverage@20').name).toBe('coverage@20');
    expect(metricByName('novelty@10').family).toBe('novelty');
  });

  it('rejects unknown names and missing cut-offs', () => {
    expect(() => metricByName('rmse')).toThrow(/unknown metric/);
    expect(() => metricByName('ndcg')).toThrow(/cut-off/);
    expect(() => metricByName('auc@10')).toThrow(/no @k/);
    expect(() => metricByName('ndcg@0')).toThrow(/cut-off/);
  });
});
