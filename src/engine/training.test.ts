import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { initEngine } from './engine.js';
import { MISSING_WASM_KERNELS, VITRINE_KERNELS } from './kernels/register.js';
import { BatchNorm, Conv2d, Dense, GroupNorm, residualBlock, Sequential, fnLayer, trainableVariables } from './layers/index.js';
import { expectNoTensorLeak } from './leak.js';
import { nativeTensorKernelNames } from './native-tensor/register.js';
import { logSigmoid } from './ops.js';
import { Adam } from './optim/adam.js';
import { buildDcgan, dcganStep } from './reference/dcgan.js';
import { tf } from './tf.js';

/**
 * One tiny training step of each model family vitrine trains, on the wasm
 * backend (with the native kernels when built; `npm run test:fallback` runs
 * it without): a kernel or gradient the backend lacks fails here. Together
 * the steps run every kernel vitrine registers.
 */

const kernelsSeen = new Set<string>();

/** Minimises `loss` a few steps; returns the losses. */
async function train(loss: () => tf.Scalar, vars: tf.Variable[], steps: number, lr: number): Promise<number[]> {
  const opt = tf.train.adam(lr);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const info = await tf.profile(() => opt.minimize(loss, true, vars)!);
    info.kernels.forEach((k) => kernelsSeen.add(k.name));
    const t = info.result as tf.Tensor;
    losses.push(t.dataSync()[0]!);
    t.dispose();
  }
  opt.dispose();
  return losses;
}

describe('training steps on the wasm backend', () => {
  beforeAll(async () => {
    await initEngine();
  });

  it('a CNN image encoder (conv, batch and group norm, pooling, depthwise, dense, softmax CE, L2 norm) learns', async () => {
    const rng = new Rng(1);
    const net = new Sequential([
      ['conv', new Conv2d({ inChannels: 3, outChannels: 4, kernel: 3, padding: 1 }, rng)],
      ['bn', new BatchNorm({ channels: 4 }, rng)],
      ['relu', fnLayer((x) => tf.relu(x))],
      ['pool', fnLayer((x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'))],
      ['block', residualBlock({ inChannels: 4, outChannels: 8, stride: 2, norm: 'group' }, rng)],
      ['gn', new GroupNorm({ channels: 8, groups: 2 }, rng)],
      ['leaky', fnLayer((x) => tf.leakyRelu(x, 0.1))],
      ['avg', fnLayer((x) => tf.avgPool(x as tf.Tensor4D, 2, 1, 'valid'))],
      ['gap', fnLayer((x) => tf.mean(x, [1, 2]))],
      ['fc', new Dense({ inFeatures: 8, outFeatures: 3 }, rng)],
    ]);
    const depthwise = tf.variable(tf.randomNormal([3, 3, 3, 1], 0, 0.3, 'float32', 5));
    const gain = tf.variable(tf.ones([3]));
    const x = tf.randomUniform([6, 8, 8, 3], -1, 1, 'float32', 2);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3);
    const vars = [...trainableVariables(net), depthwise, gain];
    const losses = await expectNoTensorLeak(() => train(() => {
      const scaled = tf.mul(x, gain); // so the depthwise convolution's input gradient is needed too
      const mixed = tf.add(x, tf.depthwiseConv2d(scaled as tf.Tensor4D, depthwise as tf.Tensor4D, 1, 'same'));
      const logits = net.apply(mixed, { training: true });
      const emb = tf.div(logits, tf.norm(logits, 2, 1, true));
      return tf.add(tf.losses.softmaxCrossEntropy(labels, logits), tf.mul(0.1, tf.sum(tf.square(emb)))) as tf.Scalar;
    }, vars, 8, 0.05), 'encoder training');
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    net.dispose();
    tf.dispose([depthwise, gain, x, labels]);
  });

  it('a DCGAN step (transposed convolutions, tanh, BCE with logits) updates G and D', async () => {
    const model = buildDcgan({ batch: 4, image: 8, channels: 3, latent: 6, width: 4 }, new Rng(2));
    const opt = new Adam({ learningRate: 2e-4, beta1: 0.5, beta2: 0.999 });
    dcganStep(model, opt, 6); // creates Adam's moment variables
    const before = trainableVariables(model.generator).map((v) => v.dataSync().slice());
    const loss = await expectNoTensorLeak(async () => {
      const info = await tf.profile(() => tf.scalar(dcganStep(model, opt, 7)));
      info.kernels.forEach((k) => kernelsSeen.add(k.name));
      const value = (info.result as tf.Tensor).dataSync()[0]!;
      (info.result as tf.Tensor).dispose();
      return value;
    }, 'DCGAN step');
    expect(Number.isFinite(loss)).toBe(true);
    const after = trainableVariables(model.generator).map((v) => v.dataSync());
    expect(after.some((a, i) => a.some((v, j) => v !== before[i]![j]))).toBe(true);
    opt.dispose();
    model.dispose();
  });

  it('BPR (gather, log sigmoid) learns to rank positives first', async () => {
    const rng = new Rng(3);
    const users = tf.variable(tf.tensor2d(Array.from({ length: 5 * 4 }, () => rng.normal(0, 0.1)), [5, 4]));
    const items = tf.variable(tf.tensor2d(Array.from({ length: 7 * 4 }, () => rng.normal(0, 0.1)), [7, 4]));
    const u = tf.tensor1d([0, 1, 2, 3, 4, 0], 'int32');
    const pos = tf.tensor1d([1, 2, 3, 4, 5, 6], 'int32');
    const neg = tf.tensor1d([0, 0, 1, 1, 2, 2], 'int32');
    // vitrine's logSigmoid: tf.logSigmoid's gradient crashes on an intermediate input (see ops.ts).
    const bpr = (): tf.Scalar => {
      const eu = tf.gather(users, u);
      const x = tf.sum(tf.mul(eu, tf.sub(tf.gather(items, pos), tf.gather(items, neg))), 1);
      return tf.add(tf.neg(tf.mean(logSigmoid(x))), tf.mul(1e-3, tf.sum(tf.square(eu))));
    };
    const losses = await expectNoTensorLeak(() => train(bpr, [users, items], 10, 0.1), 'BPR training');
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);

    // Without UnsortedSegmentSum (gather's gradient) on wasm, the same step fails: the test guards the registration.
    const kernel = tf.getKernel('UnsortedSegmentSum', 'wasm')!;
    tf.unregisterKernel('UnsortedSegmentSum', 'wasm');
    try {
      expect(() => tf.variableGrads(bpr, [users, items])).toThrow(/UnsortedSegmentSum/);
    } finally {
      tf.registerKernel(kernel);
    }
    tf.dispose([users, items, u, pos, neg]);
  });

  it('ran every kernel vitrine registers for wasm (the ones it adds, and the native ones when built)', () => {
    const expected = [...Object.keys(MISSING_WASM_KERNELS), ...Object.keys(VITRINE_KERNELS), ...nativeTensorKernelNames()];
    expect(expected.filter((k) => !kernelsSeen.has(k)), [...kernelsSeen].join(' ')).toEqual([]);
  });
});
