import { describe, expect, it } from 'vitest';
import type { InteractionPairs } from '../data/interactions.js';
import { categoryDistance } from '../metrics/beyond-accuracy.js';
import type { ModelKind, Recommender } from '../recommend/recommender.js';
import { evaluateModel, metricKeys } from './evaluator.js';
import type { Split } from './split.js';
import { leaveLastOut } from './splits.js';

const N_USERS = 30;
const N_ITEMS = 40;

/** Shopper u has 2 + (u % 12) pairs, items (u + 7j) % 40 at time j; so 1..12 training pairs after leave-last-out. */
function fixture(): InteractionPairs {
  const t: [number, number, number][] = [];
  for (let u = 0; u < N_USERS; u++) for (let j = 0; j < 2 + (u % 12); j++) t.push([u, (u + 7 * j) % N_ITEMS, j]);
  t.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return {
    nUsers: N_USERS,
    nItems: N_ITEMS,
    user: Int32Array.from(t, (x) => x[0]),
    item: Int32Array.from(t, (x) => x[1]),
    strength: new Float32Array(t.length).fill(1),
    firstTs: Float64Array.from(t, (x) => x[2]),
    lastTs: Float64Array.from(t, (x) => x[2]),
    events: new Int32Array(t.length).fill(1),
  };
}

/** A model defined by a scoring function; `batched` adds scoreUsers. */
function fakeModel(score: (u: number, out: Float32Array) => void, batched = false): Recommender {
  const m: Recommender = {
    kind: 'pop' as ModelKind,
    config: {},
    nUsers: N_USERS,
    nItems: N_ITEMS,
    fit: async () => undefined,
    scoreUser: (u, out = new Float32Array(N_ITEMS)) => {
      out.fill(0);
      score(u, out);
      return out;
    },
    save: async () => undefined,
  };
  if (batched) {
    m.scoreUsers = (users, out) => users.forEach((u, r) => m.scoreUser(u, out.subarray(r * N_ITEMS, (r + 1) * N_ITEMS)));
  }
  return m;
}

const split: Split = leaveLastOut(fixture());
const testItem = (u: number): number => split.test.rowIndices(u)[0]!;
const oracle = (batched = false) => fakeModel((u, out) => (out[testItem(u)] = 1), batched);
const antiOracle = fakeModel((u, out) => (out[testItem(u)] = -1));

describe('evaluateModel', () => {
  it('an oracle scores perfectly', () => {
    const r = evaluateModel(oracle(), split);
    expect(r.counts.users).toBe(30);
    expect(r.overall['hr@10']).toBe(1);
    expect(r.overall['ndcg@10']).toBe(1);
    expect(r.overall['recall@20']).toBe(1);
    expect(r.overall['map@10']).toBe(1);
    expect(r.overall['precision@10']).toBeCloseTo(0.1, 12);
    expect(r.overall.mrr).toBe(1);
    expect(r.overall.auc).toBe(1);
    expect(r.protocol).toBe('leave-last-out');
  });

  it('an anti-oracle ranks the test item last', () => {
    const r = evaluateModel(antiOracle, split);
    expect(r.overall['hr@10']).toBe(0);
    expect(r.overall['recall@20']).toBe(0);
    expect(r.overall.auc).toBe(0);
    // shopper 0 has 1 training pair -> 39 candidates, test item last: RR = 1/39
    const one = evaluateModel(antiOracle, split, { users: Int32Array.from([0]) });
    expect(one.overall.mrr).toBeCloseTo(1 / 39, 12);
  });

  it('gives a model that scores every item alike an AUC of 0.5, whatever the tie order does to its lists', () => {
    const flat = evaluateModel(fakeModel((_, out) => out.fill(0)), split);
    expect(flat.overall.auc).toBe(0.5);
    // The test item tied with the other negatives but above the ones scored lower: half of the ties plus the strictly lower.
    const half = evaluateModel(fakeModel((u, out) => { out.fill(-1); for (let i = 0; i < N_ITEMS; i += 2) out[i] = 0; out[testItem(u)] = 0; }), split);
    expect(half.overall.auc).toBeGreaterThan(0.6);
    expect(half.overall.auc).toBeLessThan(0.9);
  });

  it('masks training items: scoring them highest changes nothing', () => {
    const memorizer = fakeModel((u, out) => {
      for (const i of split.test.rowIndices(u)) out[i] = 1;
      for (const p of split.train) if (split.pairs.user[p] === u) out[split.pairs.item[p]!] = 10;
    });
    expect(evaluateModel(memorizer, split).overall['hr@10']).toBe(1);
  });

  it('scoreUsers blocks and scoreUser give the same figures', () => {
    const scramble = (u: number, out: Float32Array) => {
      for (let i = 0; i < N_ITEMS; i++) out[i] = ((i * 31 + u * 17) % 13) / 13;
    };
    const a = evaluateModel(fakeModel(scramble), split);
    const b = evaluateModel(fakeModel(scramble, true), split, { batchSize: 7 });
    expect(b.overall).toEqual(a.overall);
    expect(a.overall['hr@10']).toBeGreaterThan(0);
    expect(a.overall['hr@10']).toBeLessThan(1);
  });

  it('segments cold and heavy shoppers by training pairs', () => {
    // training pairs = 1 + (u % 12): cold (<= 5) when u % 12 <= 4 -> 15 of 30 shoppers;
    // heavy: the 3rd heaviest has 11 pairs -> every shopper with >= 11: u = 10, 11, 22, 23
    const r = evaluateModel(oracle(), split);
    expect(r.counts).toEqual({ users: 30, coldUsers: 15, heavyUsers: 4 });
    expect(r.cold['hr@10']).toBe(1);
    const custom = evaluateModel(oracle(), split, { coldMaxTrain: 1, heavyFraction: 0.5 });
    // cold: u % 12 == 0 -> u = 0, 12, 24; heavy: 15th heaviest has 6 pairs -> u % 12 >= 5: 5..11, 17..23, 29 -> 15
    expect(custom.counts.coldUsers).toBe(3);
    expect(custom.counts.heavyUsers).toBe(15);
  });

  it('sampled negatives are labelled and rank among n + 1 candidates', () => {
    const r = evaluateModel(antiOracle, split, { candidates: { kind: 'sampled', n: 5 }, seed: 3 });
    expect(r.protocol).toBe('leave-last-out, sampled-5');
    // the test item is last of 6 candidates for everyone: RR = 1/6, HR@10 = 1 (only 6 candidates)
    expect(r.overall.mrr).toBeCloseTo(1 / 6, 12);
    expect(r.overall['hr@10']).toBe(1);
  });

  it('reports every metric key, diversity only with a distance', () => {
    const plain = evaluateModel(oracle(), split);
    expect(Object.keys(plain.overall)).toEqual(metricKeys([10, 20], 10, false));
    expect(Object.keys(plain.overall)).toContain('coverage');
    expect(Object.keys(plain.overall)).toContain('novelty@10');
    const d = evaluateModel(oracle(), split, { itemDistance: categoryDistance(new Int32Array(N_ITEMS)) });
    // every item in category 0 -> no diversity
    expect(d.overall['diversity@10']).toBe(0);
    expect(d.overall.coverage).toBeGreaterThan(0);
  });

  it('refuses a model of another catalog size', () => {
    const wrong = { ...oracle(), nItems: 3 };
    expect(() => evaluateModel(wrong, split)).toThrow(/items/);
  });
});
