import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VitrineError } from '../core/errors.js';
import { recommend, topKForUsers } from './rank.js';
import type { Recommender } from './recommender.js';
import { MODEL_KINDS, type ModelKind } from './recommender.js';
import { createModel, loadModel } from './registry.js';
import { hitRate, plantedTopics, twoBlocks } from './test-utils/fixtures.js';
import { withVisuals } from './test-utils/visual-fixtures.js';

/**
 * The contract every recommender meets (conventions.md #4, after implicit's
 * RecommenderBaseTestMixin): a known answer on toy data, save/load identity,
 * a seeded quality check against popularity, the error contract, and
 * determinism under a fixed seed.
 */

/** Small, fast settings per kind (the defaults are sized for real catalogues). */
const FAST: { [K in ModelKind]: Record<string, unknown> } = {
  pop: {},
  itemknn: { neighbours: 20 },
  als: { factors: 8, iterations: 10, alpha: 5 },
  bpr: { factors: 8, epochs: 60, learningRate: 0.05 },
  content: {},
  hybrid: { cfConfig: { factors: 8, iterations: 10, alpha: 5 } },
  vbpr: { factors: 8, visualFactors: 8, epochs: 40, learningRate: 0.05 },
  // 16x16 images through two strided stages: a tiny φ, a few seconds per fit.
  dvbpr: { imageSize: 16, channels: [8, 8], embedding: 8, epochs: 3, batchSize: 128, learningRate: 0.01 },
  'visual-hybrid': { cfConfig: { factors: 8, iterations: 10, alpha: 5 }, visualConfig: { factors: 8, visualFactors: 8, epochs: 40, learningRate: 0.05 } },
};

/**
 * For the two-block toy: low capacity and strong regularisation, so factor
 * models generalise to the held-out item instead of fitting its zero.
 */
const TOY: { [K in ModelKind]: Record<string, unknown> } = {
  ...FAST,
  als: { factors: 4, iterations: 10, alpha: 5, regularization: 1 },
  bpr: { factors: 4, epochs: 60, learningRate: 0.05 },
  hybrid: { cfConfig: { factors: 4, iterations: 10, alpha: 5, regularization: 1 } },
  vbpr: { factors: 4, visualFactors: 4, epochs: 40, learningRate: 0.05 },
  'visual-hybrid': {
    cfConfig: { factors: 4, iterations: 10, alpha: 5, regularization: 1 },
    visualConfig: { factors: 4, visualFactors: 4, epochs: 40, learningRate: 0.05 },
  },
};

const make = (kind: ModelKind, seed = 1, settings = FAST): Recommender => createModel(kind, { ...settings[kind], seed } as never);

const tmp = mkdtempSync(join(tmpdir(), 'vitrine-contract-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(VitrineError);
    expect((e as VitrineError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe.each(MODEL_KINDS.map((k) => [k]))('recommender contract: %s', (kind) => {
  // Every fixture carries item images and visual features (used by vbpr and dvbpr, ignored by the rest).
  const toy = (() => {
    const t = twoBlocks(7);
    return withVisuals(t, t.blockOf);
  })();
  const planted = (seed: number): ReturnType<typeof plantedTopics> => {
    const d = plantedTopics(seed);
    return withVisuals(d, d.topicOf);
  };

  it('gets the known answer on two disjoint blocks', async () => {
    const m = make(kind, 1, TOY);
    await m.fit(toy);
    const counts = toy.ui.columnCounts();
    for (let u = 0; u < toy.ui.nRows; u++) {
      const s = m.scoreUser(u);
      if (kind === 'pop') {
        // Popularity's known answer: the same scores for everyone, the items' interaction counts.
        expect(Array.from(s)).toEqual(Array.from(counts));
        continue;
      }
      const own = toy.blockOf[toy.heldOut[u]!]!;
      const target = s[toy.heldOut[u]!]!;
      for (let i = 0; i < toy.ui.nCols; i++) if (toy.blockOf[i] !== own) expect(target).toBeGreaterThan(s[i]!);
    }
  });

  it('scores identically after save and load, and loadModel picks the kind', async () => {
    const m = make(kind);
    await m.fit(toy);
    const dir = join(tmp, `${kind}-model`);
    await m.save(dir);
    const back = loadModel(dir);
    expect(back.kind).toBe(kind);
    expect(back.constructor).toBe(m.constructor);
    expect(back.config).toEqual(m.config);
    expect([back.nUsers, back.nItems]).toEqual([m.nUsers, m.nItems]);
    const users = Int32Array.from({ length: m.nUsers }, (_, u) => u);
    const a = new Float32Array(users.length * m.nItems);
    const b = new Float32Array(users.length * m.nItems);
    m.scoreUsers!(users, a);
    back.scoreUsers!(users, b);
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    for (const u of [0, 5, m.nUsers - 1]) expect(Buffer.from(back.scoreUser(u).buffer).equals(Buffer.from(m.scoreUser(u).buffer))).toBe(true);
  });

  // Popularity is the baseline itself; every other model must beat it.
  if (kind !== 'pop') it('beats popularity on planted low-rank data (HR@10)', async () => {
    const data = planted(11);
    const users = Int32Array.from({ length: data.ui.nRows }, (_, u) => u);
    const pop = make('pop');
    await pop.fit(data);
    const m = make(kind);
    await m.fit(data);
    const base = hitRate(topKForUsers(pop, users, 10, data.ui), data.test, 10);
    const hr = hitRate(topKForUsers(m, users, 10, data.ui), data.test, 10);
    expect(hr).toBeGreaterThan(base * 1.5);
    expect(hr).toBeGreaterThan(base + 0.1);
  });

  it('ranks all users in one batch exactly as one by one (seen items removed)', async () => {
    const data = planted(5);
    const m = make(kind);
    await m.fit(data);
    const users = Int32Array.from({ length: data.ui.nRows }, (_, u) => u);
    const batch = topKForUsers(m, users, 7, data.ui);
    for (const u of [0, 3, data.ui.nRows - 1]) {
      const one = recommend(m, { userIdx: u }, { k: 7, seen: data.ui.rowIndices(u) });
      expect(Array.from(batch.items.subarray(u * 7, u * 7 + batch.counts[u]!))).toEqual(Array.from(one.items));
    }
  });

  it('refuses to score before fit, unknown users, and aborted fits', async () => {
    const m = make(kind);
    await expectCode(() => m.scoreUser(0), 'NOT_FITTED');
    await expectCode(m.save(join(tmp, `${kind}-unfitted`)), 'NOT_FITTED');
    const ac = new AbortController();
    ac.abort();
    await expectCode(m.fit(toy, { signal: ac.signal }), 'ABORTED');
    await expectCode(() => m.scoreUser(0), 'NOT_FITTED');
    // Aborted between epochs: the model stays unfitted.
    const ac2 = new AbortController();
    await expectCode(m.fit(toy, { signal: ac2.signal, onEpoch: () => ac2.abort() }), 'ABORTED');
    expect(m.nUsers).toBe(0);
    await m.fit(toy);
    await expectCode(() => m.scoreUser(m.nUsers), 'UNKNOWN_ID');
    await expectCode(() => m.scoreUser(-1), 'UNKNOWN_ID');
    await expectCode(() => m.scoreUser(0.5), 'UNKNOWN_ID');
  });

  it('is deterministic under a fixed seed', async () => {
    const a = make(kind, 3);
    const b = make(kind, 3);
    await a.fit(toy);
    await b.fit(toy);
    for (let u = 0; u < toy.ui.nRows; u++) expect(Buffer.from(b.scoreUser(u).buffer).equals(Buffer.from(a.scoreUser(u).buffer))).toBe(true);
  });
});
