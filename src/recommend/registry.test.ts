import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlsModel } from './als.js';
import { ALS_DEFAULTS } from './als.js';
import { createModel, layoutVersion, loadModel } from './registry.js';
import { twoBlocks } from './test-utils/fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'vitrine-registry-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('registry', () => {
  it('creates each kind with its defaults, frozen', () => {
    const m = createModel('als');
    expect(m).toBeInstanceOf(AlsModel);
    expect(m.config).toEqual(ALS_DEFAULTS);
    expect(Object.isFrozen(m.config)).toBe(true);
    expect(createModel('bpr', { factors: 3 }).config.factors).toBe(3);
  });

  it.each([
    ['als', { factors: 0 }],
    ['als', { confidence: 'fuzzy' }],
    ['als', { regularization: -1 }],
    ['bpr', { learningRate: 0 }],
    ['itemknn', { neighbours: 2.5 }],
    ['als', { factorz: 8 }],
    ['pop', { seed: -1 }],
  ])('refuses bad hyperparameters: %s %j', (kind, cfg) => {
    expect(() => createModel(kind as 'als', cfg as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('refuses an unknown kind', () => {
    expect(() => createModel('svd' as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('loadModel: MODEL_NOT_FOUND without a manifest, MODEL_INCOMPATIBLE for unknown kinds and newer layouts', async () => {
    expect(() => loadModel(join(tmp, 'nothing'))).toThrow(expect.objectContaining({ code: 'MODEL_NOT_FOUND' }));
    const m = createModel('als', { factors: 2, iterations: 2 });
    await m.fit(twoBlocks(1));
    const dir = join(tmp, 'als');
    await m.save(dir);
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ kind: 'als', version: layoutVersion('als'), hyperparameters: { factors: 2 } });
    expect(manifest.dataFingerprint).toMatch(/^[0-9a-f]{16}$/);
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, version: layoutVersion('als') + 1 }));
    expect(() => loadModel(dir)).toThrow(expect.objectContaining({ code: 'MODEL_INCOMPATIBLE' }));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, kind: 'svd' }));
    expect(() => loadModel(dir)).toThrow(expect.objectContaining({ code: 'MODEL_INCOMPATIBLE' }));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, hyperparameters: { ...(manifest.hyperparameters as object), factors: 3 } }));
    expect(() => loadModel(dir)).toThrow(expect.objectContaining({ code: 'MODEL_INCOMPATIBLE' }));
  });
});
