import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { loadModelArtifact, saveModelArtifact } from './artifact-tf.js';
import { initEngine } from './engine.js';
import { BatchNorm, Conv2d, Dense, fnLayer, Sequential } from './layers/index.js';
import { expectNoTensorLeak } from './leak.js';
import { tf } from './tf.js';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-artifact-tf-'));

function model(seed: number): Sequential {
  const rng = new Rng(seed);
  return new Sequential([
    ['conv', new Conv2d({ inChannels: 2, outChannels: 3, kernel: 3, stride: 2, padding: 1 }, rng)],
    ['bn', new BatchNorm({ channels: 3 }, rng)],
    ['flat', fnLayer((x) => tf.reshape(x, [x.shape[0]!, -1]))],
    ['fc', new Dense({ inFeatures: 27, outFeatures: 4 }, rng)],
  ]);
}

describe('model artifacts', () => {
  beforeAll(async () => {
    await initEngine();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trip: a model loaded into another seed gives bitwise-identical outputs', async () => {
    const a = model(1);
    const x = tf.randomNormal([2, 5, 5, 2], 0, 1, 'float32', 3);
    tf.tidy(() => { a.apply(x, { training: true }); }); // move the running statistics off their initial values
    const path = join(dir, 'm1');
    const manifest = saveModelArtifact(path, a, { kind: 'test-cnn', version: 1, hyperparameters: { width: 3 } });
    expect(manifest.tensors.map((t) => t.name).sort()).toEqual([...a.params().keys()].sort());
    const b = model(2);
    const before = tf.tidy(() => b.apply(x).dataSync());
    await expectNoTensorLeak(() => loadModelArtifact(path, b, { kind: 'test-cnn' }), 'load');
    const ya = tf.tidy(() => a.apply(x).dataSync());
    const yb = tf.tidy(() => b.apply(x).dataSync());
    expect(Buffer.from(yb.buffer).equals(Buffer.from(ya.buffer))).toBe(true);
    expect(Buffer.from(before.buffer).equals(Buffer.from(ya.buffer))).toBe(false);
    a.dispose();
    b.dispose();
    x.dispose();
  });

  it('refuses another kind, a newer version, other parameters, other shapes and corrupt files', () => {
    const a = model(1);
    const path = join(dir, 'm2');
    saveModelArtifact(path, a, { kind: 'test-cnn', version: 2, hyperparameters: {} });
    expect(() => loadModelArtifact(path, a, { kind: 'other' })).toThrow(/not "other"/);
    expect(() => loadModelArtifact(path, a, { kind: 'test-cnn' })).toThrow(/version 2/);
    const other = new Sequential([['fc', new Dense({ inFeatures: 27, outFeatures: 4 }, new Rng(1))]]);
    expect(() => loadModelArtifact(path, other, { kind: 'test-cnn', maxVersion: 2 })).toThrow(/do not match/);
    const wide = new Sequential([
      ['conv', new Conv2d({ inChannels: 2, outChannels: 3, kernel: 3 }, new Rng(1))], ['bn', new BatchNorm({ channels: 3 }, new Rng(1))],
      ['fc', new Dense({ inFeatures: 28, outFeatures: 4 }, new Rng(1))],
    ]);
    expect(() => loadModelArtifact(path, wide, { kind: 'test-cnn', maxVersion: 2 })).toThrow(/fc.weight/);
    const file = join(path, 'fc.bias.bin');
    const bytes = readFileSync(file);
    bytes[0] = bytes[0]! ^ 0xff;
    writeFileSync(file, bytes);
    expect(() => loadModelArtifact(path, a, { kind: 'test-cnn', maxVersion: 2 })).toThrow(/corrupt/);
    [a, other, wide].forEach((m) => m.dispose());
  });
});
