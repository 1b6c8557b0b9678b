import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VitrineError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { l2normalize } from './encoder.js';
import { loadEncoder } from './encoder-registry.js';
import { IMAGENET_MEAN, IMAGENET_STD, onnxConfig } from './onnx-config.js';
import { OnnxEncoder } from './onnx-encoder.js';
import { poolOutput } from './onnx-io.js';
import type { PreparedImage } from './prepare.js';
import { onnxModel } from './test-utils/onnx-proto.js';

/**
 * The ONNX backbone path on models the test writes itself: a "backbone" of
 * GlobalAveragePool + Flatten + MatMul whose embedding the test recomputes
 * in plain JS, plus models built to trip each validation.
 */
const dir = mkdtempSync(join(tmpdir(), 'vitrine-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const S = 8;
const D = 4;
const W = Float32Array.from({ length: 3 * D }, (_, i) => ((i * 7) % 5) - 2 + 0.25 * i);

/** x [N, 3, S, S] -> GlobalAveragePool -> Flatten -> MatMul W [3, D] -> emb [N, D]. */
function poolProjectModel(batch: number | string = 'N'): Buffer {
  return onnxModel({
    inputs: [{ name: 'pixels', shape: [batch, 3, S, S] }],
    outputs: [{ name: 'emb', shape: [batch, D] }],
    initializers: [{ name: 'W', dims: [3, D], data: W }],
    nodes: [
      { op: 'GlobalAveragePool', inputs: ['pixels'], outputs: ['g'] },
      { op: 'Flatten', inputs: ['g'], outputs: ['f'], ints: { axis: 1 } },
      { op: 'MatMul', inputs: ['f', 'W'], outputs: ['emb'] },
    ],
  });
}

function randomImages(n: number, seed: number): PreparedImage[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => ({ size: S, data: Float32Array.from({ length: S * S * 3 }, () => rng.next()) }));
}

/** The same math in JS: ImageNet-normalise, average each channel, project by W, L2-normalise. */
function expected(img: PreparedImage): Float32Array {
  const means = [0, 1, 2].map((c) => {
    let s = 0;
    for (let p = 0; p < S * S; p++) s += (img.data[p * 3 + c]! - IMAGENET_MEAN[c]!) / IMAGENET_STD[c]!;
    return s / (S * S);
  });
  const out = new Float32Array(D);
  for (let j = 0; j < D; j++) out[j] = means.reduce((a, m, c) => a + m * W[c * D + j]!, 0);
  return l2normalize(out);
}

async function codeOf(p: Promise<unknown>): Promise<[string, string]> {
  try {
    await p;
    return ['ok', ''];
  } catch (e) {
    expect(e).toBeInstanceOf(VitrineError);
    return [(e as VitrineError).code, (e as VitrineError).message + ' ' + ((e as VitrineError).hint ?? '')];
  }
}

describe('OnnxEncoder', () => {
  const modelPath = join(dir, 'backbone.onnx');
  writeFileSync(modelPath, poolProjectModel());

  it('embeds images as the same math done in JS, in batches', async () => {
    const enc = await OnnxEncoder.create(modelPath, { inputSize: S, batchSize: 2 });
    expect([enc.kind, enc.dim, enc.inputSize]).toEqual(['onnx', D, S]);
    const imgs = randomImages(5, 1);
    const got = await enc.embed(imgs);
    expect(got).toHaveLength(5);
    got.forEach((v, i) => {
      const want = expected(imgs[i]!);
      for (let j = 0; j < D; j++) expect(v[j]).toBeCloseTo(want[j]!, 5);
    });
    await enc.dispose();
  });

  it('saves the model bytes and preprocessing, and loads back through the registry', async () => {
    const enc = await OnnxEncoder.create(modelPath, { inputSize: S });
    const imgs = randomImages(2, 2);
    const before = await enc.embed(imgs);
    const saved = join(dir, 'saved');
    await enc.save(saved);
    const back = await loadEncoder(saved);
    expect(back.kind).toBe('onnx');
    expect(back.describe()).toMatchObject({ source: 'backbone.onnx', dim: D });
    expect(await back.embed(imgs)).toEqual(before);
    await enc.dispose();
    await back.dispose?.();
  });

  it('runs a model with a static batch of 1 one image at a time', async () => {
    const enc = await OnnxEncoder.create(poolProjectModel(1), { inputSize: S, batchSize: 8 });
    const imgs = randomImages(3, 3);
    const got = await enc.embed(imgs);
    expect(got.map((v) => v[0])).toEqual(imgs.map((im) => expect.closeTo(expected(im)[0]!, 5)));
    await enc.dispose();
  });

  it('refuses a wrong input size, a wrong layout, an ambiguous input and a non-model with clear errors', async () => {
    const [c1, m1] = await codeOf(OnnxEncoder.create(modelPath, { inputSize: 224 }));
    expect(c1).toBe('MODEL_INCOMPATIBLE');
    expect(m1).toMatch(/takes 8x8 images but inputSize is 224.*set inputSize to 8/);
    const [c2, m2] = await codeOf(OnnxEncoder.create(modelPath, { inputSize: S, layout: 'nhwc' }));
    expect(c2).toBe('MODEL_INCOMPATIBLE');
    expect(m2).toMatch(/8 channels where layout nhwc expects 3.*set layout to nchw/);
    const two = onnxModel({
      inputs: [{ name: 'a', shape: ['N', 3, S, S] }, { name: 'b', shape: ['N', 3, S, S] }],
      outputs: [{ name: 'sum', shape: ['N', 3, S, S] }],
      nodes: [{ op: 'Add', inputs: ['a', 'b'], outputs: ['sum'] }],
    });
    const [c3, m3] = await codeOf(OnnxEncoder.create(two, { inputSize: S }));
    expect([c3, m3]).toEqual(['INVALID_ARGUMENT', expect.stringMatching(/2 inputs \(a, b\).*inputName/)]);
    expect((await codeOf(OnnxEncoder.create(modelPath, { inputSize: S, outputName: 'logits' })))[0]).toBe('INVALID_ARGUMENT');
    expect((await codeOf(OnnxEncoder.create(Buffer.from('not a model at all'), { inputSize: S })))[0]).toBe('MODEL_INCOMPATIBLE');
    expect((await codeOf(OnnxEncoder.create(join(dir, 'missing.onnx'))))[0]).toBe('FILE_NOT_FOUND');
  });

  it('average-pools an NHWC feature map output', async () => {
    // x [N, S, S, 3] * 2 -> a feature map; pooled: twice each channel's normalised mean.
    const model = onnxModel({
      inputs: [{ name: 'x', shape: ['N', S, S, 3] }],
      outputs: [{ name: 'fm', shape: ['N', S, S, 3] }],
      initializers: [{ name: 'two', dims: [1], data: Float32Array.of(2) }],
      nodes: [{ op: 'Mul', inputs: ['x', 'two'], outputs: ['fm'] }],
    });
    const enc = await OnnxEncoder.create(model, { inputSize: S, layout: 'nhwc', featureLayout: 'nhwc', preset: 'none' });
    expect(enc.dim).toBe(3);
    const [img] = randomImages(1, 4);
    const means = [0, 1, 2].map((c) => Array.from({ length: S * S }, (_, p) => img!.data[p * 3 + c]!).reduce((a, b) => a + b) / (S * S));
    const [v] = await enc.embed([img!]);
    const want = l2normalize(Float32Array.from(means));
    for (let c = 0; c < 3; c++) expect(v![c]).toBeCloseTo(want[c]!, 5);
    await enc.dispose();
  });
});

describe('poolOutput', () => {
  const c = onnxConfig({ inputSize: S });
  it('takes the first token or the token mean of a [N, T, D] output', () => {
    const data = Float32Array.from([1, 2, 3, 4, 8, 12]); // 1 image, 3 tokens, 2 dims
    expect(Array.from(poolOutput(data, [1, 3, 2], 1, c)[0]!)).toEqual([1, 2]);
    expect(Array.from(poolOutput(data, [1, 3, 2], 1, { ...c, pooling: 'avg' })[0]!)).toEqual([4, 6]);
    expect(Array.from(poolOutput(data, [1, 3, 2], 1, { ...c, pooling: 'none' })[0]!)).toEqual([1, 2, 3, 4, 8, 12]);
  });
  it('averages an NCHW feature map over space and ignores padding rows', () => {
    const data = Float32Array.from([1, 3, 10, 30, 0, 0, 0, 0]); // 2 rows (1 padding), C=2, H=1, W=2
    const rows = poolOutput(data, [2, 2, 1, 2], 1, c);
    expect(rows).toHaveLength(1);
    expect(Array.from(rows[0]!)).toEqual([2, 20]);
  });
});
