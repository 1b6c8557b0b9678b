import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { initEngine } from '../engine.js';
import { expectNoTensorLeak } from '../leak.js';
import { tf } from '../tf.js';
import { BatchNorm, Conv2d, ConvTranspose2d, Dense, fnLayer, GroupNorm, initValues, residualBlock, Sequential, trainableVariables } from './index.js';

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('layers', () => {
  beforeAll(async () => {
    await initEngine();
  });

  it('Conv2d gives PyTorch output sizes for integer padding, odd sizes included', async () => {
    await expectNoTensorLeak(() => {
      const cases: [number, number, number, number, number][] = [[32, 4, 2, 1, 16], [7, 3, 2, 1, 4], [8, 3, 2, 0, 3], [9, 4, 3, 2, 4], [5, 1, 2, 0, 3]];
      for (const [size, k, s, p, want] of cases) {
        const conv = new Conv2d({ inChannels: 2, outChannels: 3, kernel: k, stride: s, padding: p }, new Rng(1));
        const y = tf.tidy(() => conv.apply(tf.ones([1, size, size + 1, 2])));
        const wantW = Math.floor((size + 1 + 2 * p - k) / s) + 1;
        expect(y.shape, `size ${size} k${k} s${s} p${p}`).toEqual([1, want, wantW, 3]);
        y.dispose();
        conv.dispose();
      }
    });
  });

  it('Conv2d matches a direct convolution, cropping rows PyTorch never reaches', () => {
    // 6 rows, k3 s2 p0: PyTorch uses rows 0..4 (2 outputs) and ignores row 5.
    const conv = new Conv2d({ inChannels: 1, outChannels: 1, kernel: 3, stride: 2, bias: false }, new Rng(1));
    conv.weight.assign(tf.ones([3, 3, 1, 1]));
    const x = tf.tensor4d(Array.from({ length: 36 }, (_, i) => i), [1, 6, 6, 1]);
    const y = conv.apply(x);
    const at = (r: number, c: number): number => { let s = 0; for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += (r + i) * 6 + c + j; return s; };
    expect(values(y)).toEqual([at(0, 0), at(0, 2), at(2, 0), at(2, 2)]);
    tf.dispose([x, y]);
    conv.dispose();
  });

  it('ConvTranspose2d gives PyTorch sizes and is the adjoint of the matching Conv2d', () => {
    const rng = new Rng(2);
    const up = new ConvTranspose2d({ inChannels: 3, outChannels: 2, kernel: 4, stride: 2, padding: 1, bias: false }, rng);
    const down = new Conv2d({ inChannels: 2, outChannels: 3, kernel: 4, stride: 2, padding: 1, bias: false }, rng);
    down.weight.assign(up.weight); // same [k, k, 2, 3] tensor read both ways
    const x = tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 3);
    const z = tf.randomNormal([2, 10, 10, 2], 0, 1, 'float32', 4);
    const ux = up.apply(x);
    expect(ux.shape).toEqual([2, 10, 10, 2]);
    // <up(x), z> = <x, down(z)>
    const lhs = tf.sum(tf.mul(ux, z)).dataSync()[0]!;
    const rhs = tf.sum(tf.mul(x, down.apply(z))).dataSync()[0]!;
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3 * Math.abs(lhs) + 1e-3);
    const op = new ConvTranspose2d({ inChannels: 3, outChannels: 2, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }, rng);
    expect(op.apply(x).shape).toEqual([2, 10, 10, 2]);
    expect(() => new ConvTranspose2d({ inChannels: 1, outChannels: 1, kernel: 3, stride: 2, padding: 0, outputPadding: 1 }, rng)).toThrow(/outputPadding/);
    tf.dispose([x, z, ux]);
    [up, down, op].forEach((l) => l.dispose());
  });

  it('Dense handles rank > 2 inputs', () => {
    const d = new Dense({ inFeatures: 4, outFeatures: 3 }, new Rng(3));
    const y = tf.tidy(() => d.apply(tf.ones([2, 5, 4])));
    expect(y.shape).toEqual([2, 5, 3]);
    y.dispose();
    d.dispose();
  });

  it('initialisation is seeded: same seed same values, another seed others, He scale as stated', () => {
    const a = new Conv2d({ inChannels: 8, outChannels: 16, kernel: 3 }, new Rng(5));
    const b = new Conv2d({ inChannels: 8, outChannels: 16, kernel: 3 }, new Rng(5));
    const c = new Conv2d({ inChannels: 8, outChannels: 16, kernel: 3 }, new Rng(6));
    expect(values(a.weight)).toEqual(values(b.weight));
    expect(values(a.weight)).not.toEqual(values(c.weight));
    const he = initValues(new Rng(7), 20000, { scheme: 'he', fanIn: 50, fanOut: 10 });
    const std = Math.sqrt(he.reduce((s, v) => s + v * v, 0) / he.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / 50), 2);
    const g = initValues(new Rng(8), 1000, { scheme: 'glorot', fanIn: 30, fanOut: 30 });
    expect(Math.max(...g.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 60));
    [a, b, c].forEach((l) => l.dispose());
  });

  it('BatchNorm normalises with batch statistics in training, updates running ones, uses them in inference', () => {
    const bn = new BatchNorm({ channels: 2, momentum: 0.5 }, new Rng(9));
    const x = tf.tensor4d([1, 10, 3, 20, 5, 30, 7, 40], [4, 1, 1, 2]);
    const y = bn.apply(x, { training: true });
    const m = tf.moments(y, [0, 1, 2]);
    values(m.mean).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-5));
    values(m.variance).forEach((v) => expect(v).toBeCloseTo(1, 3));
    expect(values(bn.runningMean)).toEqual([2, 12.5]); // 0.5·0 + 0.5·(4, 25)
    const unbiased = [20 / 3, (4 * 125) / 3];
    values(bn.runningVar).forEach((v, i) => expect(v).toBeCloseTo(0.5 + 0.5 * unbiased[i]!, 3));
    const inf = bn.apply(x);
    expect(values(inf)[0]).toBeCloseTo((1 - 2) / Math.sqrt(0.5 + 0.5 * unbiased[0]! + 1e-5), 4);
    tf.dispose([x, y, m.mean, m.variance, inf]);
    bn.dispose();
  });

  it('GroupNorm normalises each sample and group', () => {
    const gn = new GroupNorm({ channels: 4, groups: 2 }, new Rng(10));
    const x = tf.randomNormal([3, 2, 2, 4], 3, 2, 'float32', 11);
    const y = tf.reshape(gn.apply(x), [3, 2, 2, 2, 2]);
    const m = tf.moments(y, [1, 2, 4]);
    values(m.mean).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-4));
    values(m.variance).forEach((v) => expect(v).toBeCloseTo(1, 2));
    expect(() => new GroupNorm({ channels: 6, groups: 4 }, new Rng(1))).toThrow(/divide/);
    tf.dispose([x, y, m.mean, m.variance]);
    gn.dispose();
  });

  it('a residual network is differentiable end to end: every trainable parameter gets a gradient', async () => {
    const rng = new Rng(12);
    const net = new Sequential([
      ['stem', new Conv2d({ inChannels: 3, outChannels: 4, kernel: 3, padding: 1 }, rng)],
      ['block1', residualBlock({ inChannels: 4, outChannels: 4 }, rng)],
      ['block2', residualBlock({ inChannels: 4, outChannels: 8, stride: 2, norm: 'group' }, rng)],
      ['gap', fnLayer((x) => tf.mean(x, [1, 2]))],
      ['head', new Dense({ inFeatures: 8, outFeatures: 2 }, rng)],
    ]);
    const names = [...net.params().keys()];
    expect(names).toContain('block2.shortcut.weight');
    expect(names).toContain('block1.norm1.runningMean');
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 13);
    const vars = trainableVariables(net);
    expect(vars.length).toBe(names.length - 4); // two batch norms' running mean and variance are not trainable
    await expectNoTensorLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(net.apply(x, { training: true }))) as tf.Scalar, vars);
      for (const v of vars) expect(tf.tidy(() => tf.sum(tf.abs(grads[v.name]!)).dataSync()[0]), v.name).toBeGreaterThan(0);
      tf.dispose([value, ...Object.values(grads)]);
    });
    net.dispose();
    x.dispose();
  });

  it('dispose frees every parameter', async () => {
    await expectNoTensorLeak(() => {
      const net = new Sequential([['a', new Dense({ inFeatures: 3, outFeatures: 3 }, new Rng(1))], ['b', residualBlock({ inChannels: 2, outChannels: 2 }, new Rng(2))]]);
      net.dispose();
    });
  });
});
