import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { engineInfo, initEngine } from '../engine.js';
import { nativeKernels } from '../native.js';
import { closeness, randomHost, runKernelOn, type HostTensor } from '../test-utils/compare.js';
import { randomConvCase } from '../test-utils/conv-cases.js';
import { tf } from '../tf.js';
import { tensorAddon } from './addon.js';
import { setNativeTensorKernels, setTensorThreads, withNativeTensorKernels } from './register.js';

/**
 * The native BLAS kernels against tfjs's cpu backend (the reference) and the
 * wasm kernels they replace, on random shapes. Skipped where the addon has no
 * BLAS kernels, unless VITRINE_REQUIRE_NATIVE=1 says they must be there.
 */

const required = process.env.VITRINE_REQUIRE_NATIVE === '1' && process.env.VITRINE_NATIVE !== '0';
const available = process.env.VITRINE_NATIVE !== '0' && tensorAddon(nativeKernels()) !== undefined;

type Run = Awaited<ReturnType<typeof runKernelOn>>;

/** The kernel on cpu, on wasm with the native kernels, and (unless skipped) on wasm without. */
async function threeWays(name: string, inputs: Record<string, HostTensor>, attrs: object, withWasm = true): Promise<{ cpu: Run; native: Run; wasm?: Run }> {
  const a = attrs as Record<string, unknown>;
  const cpu = await runKernelOn('cpu', name, inputs, a);
  setNativeTensorKernels(true);
  const native = await runKernelOn('wasm', name, inputs, a);
  if (!withWasm) return { cpu, native };
  setNativeTensorKernels(false);
  const wasm = await runKernelOn('wasm', name, inputs, a);
  setNativeTensorKernels(true);
  return { cpu, native, wasm };
}

function expectAgree(r: { cpu: Run; native: Run; wasm?: Run }, label: string, tol = 1e-4): void {
  expect(r.native.shape, label).toEqual(r.cpu.shape);
  expect(closeness(r.native.data, r.cpu.data, tol, tol), `native vs cpu: ${label}`).toBeLessThanOrEqual(1);
  if (r.wasm) expect(closeness(r.native.data, r.wasm.data, tol, tol), `native vs wasm: ${label}`).toBeLessThanOrEqual(1);
}

describe.skipIf(!available && !required)('native tensor kernels', () => {
  beforeAll(async () => {
    const info = await initEngine();
    expect(info.native).toBe(true);
  });

  it('report themselves in engineInfo, and switch off', () => {
    expect(engineInfo().nativeKernels).toEqual(expect.arrayContaining(['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'BatchMatMul']));
    withNativeTensorKernels(false, () => expect(engineInfo().native).toBe(false));
    expect(engineInfo().native).toBe(true);
  });

  it('Conv2D agrees on random shapes, strides, paddings and dilations', async () => {
    const rng = new Rng(21);
    for (let i = 0; i < 25; i++) {
      const c = randomConvCase(rng, { dilated: true });
      expectAgree(await threeWays('Conv2D', { x: randomHost(rng, c.xShape), filter: randomHost(rng, c.filterShape) }, c.attrs), c.label);
    }
  });

  it('FusedConv2D agrees for every activation and bias shape (prelu falls back to wasm)', async () => {
    const rng = new Rng(22);
    for (const activation of ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu', 'prelu']) {
      const c = randomConvCase(rng);
      const cout = c.filterShape[3];
      const inputs: Record<string, HostTensor> = {
        x: randomHost(rng, c.xShape), filter: randomHost(rng, c.filterShape), bias: randomHost(rng, [cout]),
      };
      if (activation === 'prelu') inputs.preluActivationWeights = randomHost(rng, [cout]);
      // wasm's FusedConv2D gets leaky ReLU wrong off the default slope; cpu is the reference there.
      expectAgree(await threeWays('FusedConv2D', inputs, { ...c.attrs, activation, leakyreluAlpha: 0.1 }, activation !== 'leakyrelu'), `${activation} ${c.label}`);
    }
  });

  it('Conv2DBackpropInput and Conv2DBackpropFilter agree on random shapes, strides and paddings', async () => {
    const rng = new Rng(23);
    for (let i = 0; i < 25; i++) {
      const c = randomConvCase(rng);
      const dy = randomHost(rng, c.outShape);
      expectAgree(await threeWays('Conv2DBackpropInput', { dy, filter: randomHost(rng, c.filterShape) }, { ...c.attrs, inputShape: c.xShape }), `input ${c.label}`);
      expectAgree(await threeWays('Conv2DBackpropFilter', { x: randomHost(rng, c.xShape), dy }, { ...c.attrs, filterShape: c.filterShape }), `filter ${c.label}`);
    }
  });

  it('1x1 convolutions take the no-im2col path and still agree', async () => {
    const rng = new Rng(24);
    const x = randomHost(rng, [2, 5, 4, 6]);
    const filter = randomHost(rng, [1, 1, 6, 3]);
    const dy = randomHost(rng, [2, 5, 4, 3]);
    const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 };
    expectAgree(await threeWays('Conv2D', { x, filter }, attrs), 'forward');
    expectAgree(await threeWays('Conv2DBackpropInput', { dy, filter }, { ...attrs, inputShape: x.shape }), 'input');
    expectAgree(await threeWays('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: filter.shape }), 'filter');
  });

  it('BatchMatMul and _FusedMatMul agree with transposes, batches, broadcasting, bias and activations', async () => {
    const rng = new Rng(25);
    const dims = (): number => 1 + rng.int(9);
    for (let i = 0; i < 20; i++) {
      const [m, k, n] = [dims(), dims(), dims()];
      const ta = rng.bool();
      const tb = rng.bool();
      const batch = [[], [3], [2, 2]][rng.int(3)]!;
      const ba = batch.length > 0 && rng.bool(0.3) ? batch.map(() => 1) : batch;
      const a = randomHost(rng, [...ba, ...(ta ? [k, m] : [m, k])]);
      const b = randomHost(rng, [...batch, ...(tb ? [n, k] : [k, n])]);
      const label = `a[${a.shape}] b[${b.shape}] ta=${ta} tb=${tb}`;
      // The wasm kernel fails on a broadcast batch ("remainder by zero"); cpu is the reference there.
      const broadcast = ba !== batch;
      expectAgree(await threeWays('BatchMatMul', { a, b }, { transposeA: ta, transposeB: tb }, !broadcast), label);
      if (batch.length === 0) {
        const activation = ['linear', 'relu', 'leakyrelu', 'sigmoid', 'elu', 'relu6'][i % 6]!;
        // tf.fused.matMul hands the kernel rank-3 tensors. A one-value bias crashes the wasm kernel, and it
        // disagrees with cpu (and native) on every activation but linear and relu: cpu is the reference there.
        const scalarBias = rng.bool(0.3);
        const bias = randomHost(rng, scalarBias ? [1] : [n]);
        const a3 = { ...a, shape: [1, ...a.shape] };
        const b3 = { ...b, shape: [1, ...b.shape] };
        expectAgree(await threeWays('_FusedMatMul', { a: a3, b: b3, bias }, { transposeA: ta, transposeB: tb, activation, leakyreluAlpha: 0.3 }, !scalarBias && ['linear', 'relu'].includes(activation)), `${activation} ${label}`);
      }
    }
  });

  it('Sum agrees over leading, trailing and other axes, with and without keepDims', async () => {
    const rng = new Rng(26);
    const x = randomHost(rng, [3, 4, 5, 6]);
    for (const axis of [[0, 1, 2], [0], [3], [2, 3], [0, 2], [1], [0, 1, 2, 3]]) {
      for (const keepDims of [false, true]) expectAgree(await threeWays('Sum', { x }, { axis, keepDims }), `axis ${axis} keepDims ${keepDims}`);
    }
  });

  it('LeakyRelu, its fused gradient and the fused Adam step agree', async () => {
    const rng = new Rng(27);
    const x = randomHost(rng, [4, 7, 3]);
    expectAgree(await threeWays('LeakyRelu', { x }, { alpha: 0.2 }), 'leaky');
    for (const alpha of [0, 0.2]) expectAgree(await threeWays('VitrineLeakyReluGrad', { dy: randomHost(rng, [4, 7, 3]), x }, { alpha }), `grad ${alpha}`);
    const v = randomHost(rng, [5, 6]);
    v.data = v.data.map(Math.abs);
    const adam = { lr: 0.01, beta1: 0.5, beta2: 0.999, eps: 1e-8, c1: 2, c2: 1000 };
    const inputs = { x: randomHost(rng, [5, 6]), m: randomHost(rng, [5, 6]), v, g: randomHost(rng, [5, 6]) };
    for (const output of [0, 1, 2]) {
      const outs = await Promise.all(['cpu', 'native', 'wasm'].map(async (w) => {
        if (w !== 'cpu') setNativeTensorKernels(w === 'native');
        if (tf.getBackend() !== (w === 'cpu' ? 'cpu' : 'wasm')) await tf.setBackend(w === 'cpu' ? 'cpu' : 'wasm');
        return tf.tidy(() => {
          const ins = Object.fromEntries(Object.entries(inputs).map(([k, h]) => [k, tf.tensor(h.data, h.shape)]));
          return Float32Array.from((tf.engine().runKernel('VitrineAdam', ins, adam) as tf.Tensor[])[output]!.dataSync());
        });
      }));
      setNativeTensorKernels(true);
      expect(closeness(outs[1]!, outs[0]!, 1e-5, 1e-6), `adam output ${output} native vs cpu`).toBeLessThanOrEqual(1);
      expect(closeness(outs[2]!, outs[0]!, 1e-5, 1e-6), `adam output ${output} wasm vs cpu`).toBeLessThanOrEqual(1);
    }
  });

  it('gradients of a small conv net agree: native, wasm and cpu', async () => {
    const rng = new Rng(28);
    const host = {
      x: randomHost(rng, [3, 8, 8, 2]), w1: randomHost(rng, [4, 4, 2, 5]), b1: randomHost(rng, [5]),
      wt: randomHost(rng, [4, 4, 3, 5]), wd: randomHost(rng, [48, 2]),
    };
    const run = async (backend: string, native: boolean): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      setNativeTensorKernels(native);
      return tf.tidy(() => {
        const t = Object.fromEntries(Object.entries(host).map(([k, v]) => [k, tf.tensor(v.data, v.shape)])) as Record<keyof typeof host, tf.Tensor>;
        const loss = (w1: tf.Tensor, b1: tf.Tensor, wt: tf.Tensor, wd: tf.Tensor): tf.Scalar => {
          const h = tf.leakyRelu(tf.fused.conv2d({ x: t.x as tf.Tensor4D, filter: w1 as tf.Tensor4D, strides: 2, pad: [[0, 0], [1, 1], [1, 1], [0, 0]], bias: b1 }), 0.2);
          const up = tf.relu(tf.conv2dTranspose(h as tf.Tensor4D, wt as tf.Tensor4D, [3, 8, 8, 3], 2, [[0, 0], [1, 1], [1, 1], [0, 0]]));
          const pooled = tf.reshape(tf.avgPool(up as tf.Tensor4D, 2, 2, 'valid'), [3, 48]);
          return tf.sum(tf.square(tf.matMul(pooled, wd)));
        };
        const grads = tf.grads(loss)([t.w1, t.b1, t.wt, t.wd]);
        return grads.map((g) => Float32Array.from(g.dataSync()));
      });
    };
    const cpu = await run('cpu', false);
    const native = await run('wasm', true);
    const wasm = await run('wasm', false);
    setNativeTensorKernels(true);
    for (let i = 0; i < cpu.length; i++) {
      expect(closeness(native[i]!, cpu[i]!, 1e-3, 1e-3), `grad ${i} native vs cpu`).toBeLessThanOrEqual(1);
      expect(closeness(native[i]!, wasm[i]!, 1e-3, 1e-3), `grad ${i} native vs wasm`).toBeLessThanOrEqual(1);
    }
  });

  it('give the same results on 2 BLAS threads', async () => {
    const rng = new Rng(29);
    const x = randomHost(rng, [4, 16, 16, 8]);
    const filter = randomHost(rng, [3, 3, 8, 16]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 };
    const one = await runKernelOn('wasm', 'Conv2D', { x, filter }, attrs);
    setTensorThreads(2);
    const two = await runKernelOn('wasm', 'Conv2D', { x, filter }, attrs);
    setTensorThreads(1);
    expect(closeness(two.data, one.data, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
  });

  it('refuse tensors outside the heap and outputs overlapping inputs', () => {
    const addon = tensorAddon(nativeKernels())!;
    const heap = new ArrayBuffer(4096);
    const geom = Int32Array.of(1, 4, 4, 1, 2, 2, 1, 3, 3, 1, 1, 1, 1, 0, 0, 0);
    expect(() => addon.conv2d(heap, 4048, 0, 1024, -1, geom, 0, 0)).toThrow(RangeError);
    expect(() => addon.conv2d(heap, 0, 128, 2, -1, geom, 0, 0)).toThrow(RangeError);
    expect(() => addon.conv2d(heap, 0, 128, 32, -1, geom, 0, 0)).toThrow(/overlaps/);
    expect(() => addon.tensorMatMul(heap, 0, 64, 128, -1, Int32Array.of(1, 1, 100, 100, 100, 0, 0, 0), 0, 0)).toThrow(RangeError);
    addon.conv2d(heap, 0, 128, 1024, -1, geom, 0, 0);
  });
});
