import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../engine/engine.js';
import { expectNoTensorLeak } from '../../engine/leak.js';
import { tf } from '../../engine/tf.js';
import { loadEncoder } from '../encoder-registry.js';
import { CnnEncoder } from './cnn-encoder.js';
import type { CnnEncoderConfig } from './config.js';
import { buildLabelSpace } from './labels.js';
import { toyCatalog } from './test-utils/toy-catalog.js';

// Without descriptor heads (their own test below): the encoder then takes the CNN's 16-px input.
const TINY: Partial<CnnEncoderConfig> = { inputSize: 16, widths: [4, 8], embedDim: 8, epochs: 2, batchSize: 8, seed: 3, descriptorWeight: 0 };
const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('CnnEncoder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-cnn-'));
  const data = toyCatalog(40, 16);

  beforeAll(async () => {
    await initEngine();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains, embeds to unit vectors, and saves and loads through the registry with bitwise-identical embeddings', async () => {
    await expectNoTensorLeak(async () => {
      const enc = await CnnEncoder.train(data, TINY);
      expect(enc.kind).toBe('cnn');
      expect(enc.heads.map((h) => h.name)).toEqual(['category', 'colour']);
      const classes = enc.heads.reduce((n, h) => n + h.classes.length, 0);
      expect(enc.dim).toBe(8 + classes); // features and the heads' predictions (headsWeight 0.85 by default)
      const before = await enc.embed(data.images);
      expect(before).toHaveLength(40);
      for (const v of before) {
        expect(v).toHaveLength(8 + classes);
        expect(norm(v)).toBeCloseTo(1, 5);
      }
      await enc.save(join(dir, 'enc'));
      await enc.dispose();
      const loaded = await loadEncoder(join(dir, 'enc'));
      expect(loaded).toBeInstanceOf(CnnEncoder);
      expect(loaded.dim).toBe(8 + classes);
      expect(loaded.inputSize).toBe(16);
      const after = await loaded.embed(data.images);
      after.forEach((v, i) => expect(Buffer.from(v.buffer).equals(Buffer.from(before[i]!.buffer)), `image ${i}`).toBe(true));
      await loaded.dispose?.();
    }, 'train, save, load');
  });

  it('splits the embedding into √(1−a)·features and √a·√(head probabilities); an encoder saved without headsWeight and trim embeds features of untrimmed images', async () => {
    const enc = await CnnEncoder.train(data, { ...TINY, trim: true, flipAverage: false });
    expect(enc.trim).toBe(true);
    const a = enc.config.headsWeight;
    const joined = (await enc.embed(data.images)).slice(0, 5);
    await enc.save(join(dir, 'split'));
    await enc.dispose();
    const manifestPath = join(dir, 'split', 'manifest.json');
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { hyperparameters: Record<string, unknown> };
    delete m.hyperparameters.headsWeight; // as written before these settings existed
    delete m.hyperparameters.trim;
    writeFileSync(manifestPath, JSON.stringify(m));
    const legacy = await CnnEncoder.load(join(dir, 'split'));
    expect(legacy.dim).toBe(8);
    expect(legacy.trim).toBe(false);
    const features = await legacy.embed(data.images);
    const sizes = legacy.heads.map((h) => h.classes.length);
    joined.forEach((v, i) => {
      for (let d = 0; d < 8; d++) expect(v[d]).toBeCloseTo(Math.sqrt(1 - a) * features[i]![d]!, 5);
      // Each head's block, unscaled and squared, is a probability distribution.
      let off = 8;
      for (const n of sizes) {
        let sum = 0;
        for (let c = 0; c < n; c++) sum += (v[off + c]! / Math.sqrt(a / sizes.length)) ** 2;
        expect(sum).toBeCloseTo(1, 4);
        off += n;
      }
    });
    await legacy.dispose();
  });

  it('embeds a photo and its mirror image alike when averaging over flips (the default); encoders saved before embed unmirrored', async () => {
    const mirror = (b: typeof data.images): typeof data.images => {
      const { count, size } = b;
      const out = new Float32Array(b.data.length);
      for (let k = 0; k < count; k++) {
        for (let y = 0; y < size; y++) {
          for (let x = 0; x < size; x++) {
            for (let c = 0; c < 3; c++) out[((k * size + y) * size + x) * 3 + c] = b.data[((k * size + y) * size + (size - 1 - x)) * 3 + c]!;
          }
        }
      }
      return { count, size, data: out };
    };
    const enc = await CnnEncoder.train(data, TINY);
    expect(enc.config.flipAverage).toBe(true);
    const straight = await enc.embed(data.images);
    const mirrored = await enc.embed(mirror(data.images));
    straight.forEach((v, i) => {
      expect(norm(v)).toBeCloseTo(1, 5);
      v.forEach((x, d) => expect(x).toBeCloseTo(mirrored[i]![d]!, 5));
    });
    await enc.save(join(dir, 'flip'));
    await enc.dispose();
    const manifestPath = join(dir, 'flip', 'manifest.json');
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { hyperparameters: Record<string, unknown> };
    delete m.hyperparameters.flipAverage; // as written before the setting existed
    writeFileSync(manifestPath, JSON.stringify(m));
    const legacy = await CnnEncoder.load(join(dir, 'flip'));
    expect(legacy.config.flipAverage).toBe(false);
    const a = await legacy.embed(data.images);
    const b = await legacy.embed(mirror(data.images));
    // without the average a photo and its mirror embed differently (an untrained-for asymmetry is enough)
    expect(a.some((v, i) => v.some((x, d) => Math.abs(x - b[i]![d]!) > 1e-4))).toBe(true);
    await legacy.dispose();
  });

  it('is deterministic for a seed and reduces the loss over a few epochs', async () => {
    const a = await CnnEncoder.train(data, { ...TINY, epochs: 4 });
    const b = await CnnEncoder.train(data, { ...TINY, epochs: 4 });
    const ha = a.training!.history;
    expect(ha.map((h) => h.loss)).toEqual(b.training!.history.map((h) => h.loss));
    expect(ha.at(-1)!.loss).toBeLessThan(ha[0]!.loss);
    await a.dispose();
    await b.dispose();
  });

  it('trains with the contrastive term on two views', async () => {
    const enc = await CnnEncoder.train(data, { ...TINY, contrastiveWeight: 0.5 });
    const h = enc.training!.history;
    expect(h.every((r) => r.contrastiveLoss > 0 && Number.isFinite(r.loss))).toBe(true);
    await enc.dispose();
  });

  it('reports progress, and stops on an abort signal without leaking', async () => {
    const seen: number[] = [];
    const ctrl = new AbortController();
    await expectNoTensorLeak(async () => {
      await expect(CnnEncoder.train(data, TINY, {
        signal: ctrl.signal,
        onProgress: (p) => {
          seen.push(p.done);
          if (p.done === 3) ctrl.abort();
        },
      })).rejects.toMatchObject({ code: 'ABORTED' });
    }, 'aborted training');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('with descriptor heads (the default) takes photos detailFactor times the CNN input, saves and loads them bitwise, and shifts only the heads\' part', async () => {
    const big = toyCatalog(40, 32);
    const withHeads = { ...TINY, descriptorWeight: 1 };
    await expect(CnnEncoder.train(data, withHeads)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' }); // 16-px photos
    const enc = await CnnEncoder.train(big, withHeads);
    expect(enc.inputSize).toBe(32);
    expect(enc.config.inputSize).toBe(16);
    expect(enc.describe()).toMatchObject({ inputSize: 32, cnnInputSize: 16, descriptorWeight: 1 });
    const v = await enc.embed(big.images);
    await enc.save(join(dir, 'desc'));
    await enc.dispose();
    const manifest = JSON.parse(readFileSync(join(dir, 'desc', 'manifest.json'), 'utf8')) as { hyperparameters: Record<string, unknown>; tensors: { name: string }[] };
    expect(manifest.tensors.map((t) => t.name)).toEqual(expect.arrayContaining(['descriptors.mean', 'descriptors.std', 'descriptors.w0', 'descriptors.b0', 'descriptors.w1', 'descriptors.b1']));
    const loaded = await loadEncoder(join(dir, 'desc'));
    const back = await loaded.embed(big.images);
    back.forEach((x, i) => expect(Buffer.from(x.buffer).equals(Buffer.from(v[i]!.buffer)), `image ${i}`).toBe(true));
    await loaded.dispose?.();
    // The same network without its descriptor heads (as an encoder saved before them reads): same features, other head predictions.
    delete manifest.hyperparameters.descriptorWeight;
    writeFileSync(join(dir, 'desc', 'manifest.json'), JSON.stringify(manifest));
    const plain = await CnnEncoder.load(join(dir, 'desc'));
    expect(plain.inputSize).toBe(16);
    const pooled = { count: 40, size: 16, data: new Float32Array(40 * 16 * 16 * 3) };
    for (let k = 0; k < 40; k++) {
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          for (let c = 0; c < 3; c++) {
            let s = 0;
            for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) s += big.images.data[((k * 32 + 2 * y + dy) * 32 + 2 * x + dx) * 3 + c]!;
            pooled.data[((k * 16 + y) * 16 + x) * 3 + c] = s / 4;
          }
        }
      }
    }
    const p = await plain.embed(pooled);
    const a = plain.config.headsWeight;
    v.forEach((x, i) => {
      for (let d = 0; d < 8; d++) expect(x[d]! / Math.sqrt(1 - a)).toBeCloseTo(p[i]![d]! / norm(p[i]!.subarray(0, 8)), 4);
      expect(norm(x)).toBeCloseTo(1, 5);
    });
    expect(v.some((x, i) => x.some((y, d) => d >= 8 && Math.abs(y - p[i]![d]!) > 1e-3))).toBe(true);
    await plain.dispose();
  });

  it('refuses images of another size and a tampered artifact', async () => {
    const enc = CnnEncoder.create(buildLabelSpace(data.items), TINY);
    await expect(enc.embed({ count: 1, size: 8, data: new Float32Array(8 * 8 * 3) })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await enc.save(join(dir, 'bad'));
    await enc.dispose();
    const m = JSON.parse(readFileSync(join(dir, 'bad', 'manifest.json'), 'utf8')) as { hyperparameters: { embedDim: number } };
    m.hyperparameters.embedDim = 9;
    writeFileSync(join(dir, 'bad', 'manifest.json'), JSON.stringify(m));
    const live = tf.memory().numTensors;
    await expect(loadEncoder(join(dir, 'bad'))).rejects.toMatchObject({ code: 'MODEL_INCOMPATIBLE' });
    expect(tf.memory().numTensors).toBe(live);
  });
});
