import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { initEngine } from '../engine.js';
import { backpropFilterChunk } from './conv2d-backprop-filter.js';
import { backpropInputChunk } from './conv2d-backprop-input.js';
import { setNativeTensorKernels } from '../native-tensor/register.js';
import { closeness, randomHost, runKernelOn } from '../test-utils/compare.js';
import { randomConvCase } from '../test-utils/conv-cases.js';
import { tf } from '../tf.js';

/** The kernels vitrine adds to (or replaces in) the wasm backend, against tfjs's cpu backend (native kernels off). */

describe('wasm kernels vitrine registers', () => {
  beforeAll(async () => {
    await initEngine();
    setNativeTensorKernels(false);
  });

  it('Conv2DBackpropFilter matches cpu on random shapes, strides and paddings', async () => {
    const rng = new Rng(11);
    for (let i = 0; i < 25; i++) {
      const c = randomConvCase(rng);
      const x = randomHost(rng, c.xShape);
      const dy = randomHost(rng, c.outShape);
      const attrs = { ...c.attrs, filterShape: c.filterShape };
      const want = await runKernelOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
      const got = await runKernelOn('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
      expect(got.shape, c.label).toEqual(c.filterShape);
      expect(closeness(got.data, want.data), c.label).toBeLessThanOrEqual(1);
    }
  });

  it('Conv2DBackpropFilter gives the same result in chunks', async () => {
    const rng = new Rng(12);
    const x = randomHost(rng, [3, 9, 8, 4]);
    const dy = randomHost(rng, [3, 9, 8, 5]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 4, 5] };
    const want = await runKernelOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
    const saved = backpropFilterChunk.floats;
    backpropFilterChunk.floats = 500; // 13 rows of 36 column values: 17 chunks
    try {
      const got = await runKernelOn('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
      expect(closeness(got.data, want.data)).toBeLessThanOrEqual(1);
    } finally {
      backpropFilterChunk.floats = saved;
    }
  });

  it('Conv2DBackpropInput (im2col replacement) matches cpu on random shapes, strides and paddings, in chunks too', async () => {
    const rng = new Rng(15);
    for (let i = 0; i < 25; i++) {
      const c = randomConvCase(rng);
      const dy = randomHost(rng, c.outShape);
      const filter = randomHost(rng, c.filterShape);
      const attrs = { ...c.attrs, inputShape: c.xShape };
      const want = await runKernelOn('cpu', 'Conv2DBackpropInput', { dy, filter }, attrs);
      const saved = backpropInputChunk.floats;
      if (i % 2 === 1) backpropInputChunk.floats = 50;
      try {
        const got = await runKernelOn('wasm', 'Conv2DBackpropInput', { dy, filter }, attrs);
        expect(got.shape, c.label).toEqual(c.xShape);
        expect(closeness(got.data, want.data), c.label).toBeLessThanOrEqual(1);
      } finally {
        backpropInputChunk.floats = saved;
      }
    }
  });

  it('BatchMatMul with transposes (done by a copy first) matches cpu', async () => {
    const rng = new Rng(16);
    for (const [ta, tb] of [[true, false], [false, true], [true, true]] as const) {
      const a = randomHost(rng, ta ? [3, 5, 4] : [3, 4, 5]);
      const b = randomHost(rng, tb ? [3, 2, 5] : [3, 5, 2]);
      const want = await runKernelOn('cpu', 'BatchMatMul', { a, b }, { transposeA: ta, transposeB: tb });
      const got = await runKernelOn('wasm', 'BatchMatMul', { a, b }, { transposeA: ta, transposeB: tb });
      expect(got.shape).toEqual([3, 4, 2]);
      expect(closeness(got.data, want.data)).toBeLessThanOrEqual(1);
    }
  });

  it('depthwise convolution gradients match cpu', async () => {
    const rng = new Rng(13);
    for (let i = 0; i < 15; i++) {
      const c = randomConvCase(rng, { depthwise: true });
      const x = randomHost(rng, c.xShape);
      const filter = randomHost(rng, c.filterShape);
      const dy = randomHost(rng, c.outShape);
      const fAttrs = { ...c.attrs, filterShape: c.filterShape };
      const iAttrs = { ...c.attrs, inputShape: c.xShape };
      for (const [name, inputs, attrs] of [
        ['DepthwiseConv2dNativeBackpropFilter', { x, dy }, fAttrs],
        ['DepthwiseConv2dNativeBackpropInput', { dy, filter }, iAttrs],
      ] as const) {
        const want = await runKernelOn('cpu', name, inputs, attrs);
        const got = await runKernelOn('wasm', name, inputs, attrs);
        expect(got.shape, `${name} ${c.label}`).toEqual(want.shape);
        expect(closeness(got.data, want.data), `${name} ${c.label}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('UnsortedSegmentSum matches cpu, dropping ids outside [0, numSegments)', async () => {
    const rng = new Rng(14);
    const cases = [
      { x: randomHost(rng, [6, 3]), ids: [2, 0, -1, 2, 5, 1], n: 4 },
      { x: { data: Int32Array.from([1, 2, 3, 4, 5]), shape: [5], dtype: 'int32' as const }, ids: [1, 1, 0, 2, 0], n: 3 },
    ];
    for (const c of cases) {
      const segmentIds = { data: Int32Array.from(c.ids), shape: [c.ids.length], dtype: 'int32' as const };
      const want = await runKernelOn('cpu', 'UnsortedSegmentSum', { x: c.x, segmentIds }, { numSegments: c.n });
      const got = await runKernelOn('wasm', 'UnsortedSegmentSum', { x: c.x, segmentIds }, { numSegments: c.n });
      expect(got.shape).toEqual(want.shape);
      expect(closeness(got.data, want.data)).toBeLessThanOrEqual(1);
    }
  });

  it('UnsortedSegmentSum takes ids of x\'s leading shape (cpu handles 1-D ids only)', async () => {
    const x = { data: Float32Array.from({ length: 12 }, (_, i) => i), shape: [2, 3, 2] };
    const segmentIds = { data: Int32Array.from([1, 0, 1, 2, 0, 7]), shape: [2, 3], dtype: 'int32' as const };
    const got = await runKernelOn('wasm', 'UnsortedSegmentSum', { x, segmentIds }, { numSegments: 3 });
    // rows (pairs of x) 0..5 go to segments 1, 0, 1, 2, 0, dropped
    expect(got.shape).toEqual([3, 2]);
    expect(Array.from(got.data)).toEqual([2 + 8, 3 + 9, 0 + 4, 1 + 5, 6, 7]);
  });

  it('Identity shares the data without a copy, and the clone outlives the original', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
  });
});
