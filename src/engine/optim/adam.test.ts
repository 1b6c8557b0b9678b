import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../engine.js';
import { setNativeTensorKernels } from '../native-tensor/register.js';
import { closeness } from '../test-utils/compare.js';
import { tf } from '../tf.js';
import { Adam } from './adam.js';

/** A small regression trained 5 steps; returns the final parameters. */
function train(opt: tf.Optimizer): Float32Array[] {
  const w = tf.variable(tf.tensor2d([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]]));
  const b = tf.variable(tf.tensor1d([0.1, -0.2]));
  const x = tf.tensor2d([[1, 2, 3], [0.5, -1, 2], [-1, 0, 1], [2, 1, 0]]);
  const y = tf.tensor2d([[1, 0], [0, 1], [1, 1], [0.5, -0.5]]);
  for (let i = 0; i < 5; i++) opt.minimize(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar, false, [w, b]);
  const out = [w, b].map((v) => Float32Array.from(v.dataSync()));
  tf.dispose([w, b, x, y]);
  return out;
}

describe('fused Adam', () => {
  beforeAll(async () => {
    await initEngine();
  });

  for (const [label, backend, native] of [['cpu', 'cpu', false], ['plain wasm', 'wasm', false], ['wasm, native kernel when built', 'wasm', true]] as const) {
    it(`matches tf.train.adam step for step (${label})`, async () => {
      await tf.setBackend(backend);
      setNativeTensorKernels(native);
      const ref = tf.train.adam(0.05, 0.5, 0.999, 1e-8);
      const want = train(ref);
      ref.dispose();
      const ours = new Adam({ learningRate: 0.05, beta1: 0.5, beta2: 0.999 });
      const got = train(ours);
      ours.dispose();
      for (let i = 0; i < got.length; i++) expect(closeness(got[i]!, want[i]!, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(ours.iterations).toBe(5);
      setNativeTensorKernels(true);
    });
  }

  it('keeps two moment variables per parameter and frees them on dispose', async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(tf.ones([4]));
    const opt = new Adam({ learningRate: 0.1 });
    const before = tf.memory().numTensors;
    opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, false, [w]);
    expect(tf.memory().numTensors - before).toBe(2);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });
});
