import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { initEngine } from '../engine.js';
import { checkGradient, type GradCase } from '../test-utils/grad-check.js';
import { tf } from '../tf.js';
import { GRADIENTS } from './register.js';

/** Every registered gradient against central differences, on the cpu backend (the reference). */

const s = (shape: number[], extra: Partial<GradCase['inputs'][number]> = {}) => ({ shape, ...extra });
const unary = (kernel: string, f: (x: tf.Tensor) => tf.Tensor, input = s([2, 3])): GradCase => ({ kernel, inputs: [input], f });
const pair = (kernel: string, f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, a = [2, 3], b = [3]): GradCase => ({ kernel, inputs: [s(a), s(b)], f });

const CASES: GradCase[] = [
  unary('Abs', tf.abs), unary('Acos', tf.acos, s([5], { lo: 0.1, hi: 0.8 })), unary('Acosh', tf.acosh, s([5], { positive: true, lo: 1.2, hi: 3 })),
  unary('Asin', tf.asin, s([5], { lo: 0.1, hi: 0.8 })), unary('Asinh', tf.asinh), unary('Atan', tf.atan),
  unary('Atanh', tf.atanh, s([5], { lo: 0.1, hi: 0.8 })), unary('Cos', tf.cos), unary('Cosh', tf.cosh), unary('Erf', tf.erf),
  unary('Expm1', tf.expm1), unary('LeakyRelu', (x) => tf.leakyRelu(x, 0.1)), unary('Log', tf.log, s([5], { positive: true })),
  unary('Log1p', tf.log1p, s([5], { positive: true })), unary('Reciprocal', tf.reciprocal), unary('Relu', tf.relu),
  unary('Relu6', tf.relu6, s([6], { values: [-2, -0.5, 0.5, 3, 5.5, 7] })), unary('Rsqrt', tf.rsqrt, s([5], { positive: true })),
  unary('Selu', tf.selu), unary('Sin', tf.sin), unary('Sinh', tf.sinh), unary('Softplus', tf.softplus),
  unary('Sqrt', tf.sqrt, s([5], { positive: true })), unary('Square', tf.square), unary('Tan', tf.tan, s([5], { lo: 0.1, hi: 0.8 })),
  unary('ClipByValue', (x) => tf.clipByValue(x, -0.6, 0.5), s([6], { values: [-0.9, -0.4, 0, 0.3, 0.7, 0.9] })),
  unary('Exp', tf.exp), unary('Sigmoid', tf.sigmoid), unary('Tanh', tf.tanh), unary('Elu', tf.elu), unary('Neg', tf.neg),
  unary('Cast', (x) => tf.cast(x, 'float32')), unary('Identity', (x) => tf.clone(x)),
  pair('Add', tf.add), pair('Add', tf.add, [2, 1], [2, 3]), pair('Sub', tf.sub), pair('Sub', tf.sub, [3], [2, 3]), pair('Multiply', tf.mul),
  pair('Multiply', tf.mul, [2, 1], [1, 3]), pair('RealDiv', tf.div), pair('RealDiv', tf.div, [3], [2, 3]),
  { kernel: 'Maximum', inputs: [s([4], { values: [0.1, 0.9, -0.5, 0.4] }), s([4], { values: [0.6, 0.2, -0.1, -0.3] })], f: tf.maximum },
  { kernel: 'Minimum', inputs: [s([4], { values: [0.1, 0.9, -0.5, 0.4] }), s([4], { values: [0.6, 0.2, -0.1, -0.3] })], f: tf.minimum },
  pair('SquaredDifference', tf.squaredDifference), pair('Atan2', tf.atan2),
  { kernel: 'Pow', inputs: [s([2, 3], { positive: true, lo: 0.5, hi: 1.5 }), s([3])], f: tf.pow },
  pair('Prelu', (a, b) => tf.prelu(a, b)),
  { kernel: 'AddN', inputs: [s([2, 2]), s([2, 2]), s([2, 2])], f: (a, b, c) => tf.addN([a, b, c]) },
  { kernel: 'Mod', inputs: [s([4], { values: [2.3, 5.1, 3.3, 7.4] }), s([4], { values: [1.5, 2.2, 1.7, 2.6] })], f: tf.mod },
  unary('Sum', (x) => tf.sum(x, 0), s([3, 4])), unary('Sum', (x) => tf.sum(x, [1, 2], true), s([2, 3, 2])),
  unary('Mean', (x) => tf.mean(x, 1), s([3, 4])), unary('Mean', (x) => tf.mean(x), s([2, 3])),
  unary('Max', (x) => tf.max(x, 1), s([2, 3], { values: [0.1, 0.9, 0.4, -0.3, -0.8, 0.2] })),
  unary('Min', (x) => tf.min(x, 0, true), s([2, 3], { values: [0.1, 0.9, 0.4, -0.3, -0.8, 0.2] })),
  unary('Prod', (x) => tf.prod(x, 1), s([2, 3])), unary('Prod', (x) => tf.prod(x, [0, 2]), s([2, 2, 2])),
  unary('Cumsum', (x) => tf.cumsum(x, 1), s([2, 3])), unary('Cumsum', (x) => tf.cumsum(x, 0, true, true), s([3, 2])),
  unary('Softmax', (x) => tf.softmax(x), s([2, 4])),
  unary('Reshape', (x) => tf.reshape(x, [3, 2])), unary('ExpandDims', (x) => tf.expandDims(x, 1)),
  unary('Transpose', (x) => tf.transpose(x, [2, 0, 1]), s([2, 3, 2])), unary('Slice', (x) => tf.slice(x, [0, 1], [2, 2]), s([3, 4])),
  unary('PadV2', (x) => tf.pad(x, [[1, 0], [0, 2]], 0.5)), unary('MirrorPad', (x) => tf.mirrorPad(x, [[0, 1], [1, 1]], 'symmetric')),
  unary('MirrorPad', (x) => tf.mirrorPad(x, [[2, 1], [1, 2]], 'reflect'), s([3, 4])),
  { kernel: 'Concat', inputs: [s([2, 2]), s([2, 3])], f: (a, b) => tf.concat([a, b], 1) },
  { kernel: 'Pack', inputs: [s([3]), s([3])], f: (a, b) => tf.stack([a, b], 1) },
  unary('Unpack', (x) => tf.addN(tf.unstack(x, 1).map((t, i) => tf.mul(t, i + 1))), s([2, 3])),
  unary('SplitV', (x) => { const [a, b] = tf.split(x, [1, 3], 1); return tf.concat([tf.mul(b!, 2), a!], 1); }, s([2, 4])),
  unary('Tile', (x) => tf.tile(x, [2, 3]), s([2, 2])), unary('Tile', (x) => tf.tile(x, [1, 2, 1, 2, 2]), s([1, 2, 1, 2, 1])),
  { kernel: 'Select', inputs: [s([4]), s([4])], f: (a, b) => tf.where(tf.tensor1d([true, false, true, false], 'bool'), a, b) },
  unary('Reverse', (x) => tf.reverse(x, 1)),
  { kernel: 'GatherV2', inputs: [s([4, 3]), s([5], { int: true, values: [3, 0, 3, 1, 2] })], f: (x, i) => tf.gather(x, i) },
  { kernel: 'GatherV2', label: 'axis 1', inputs: [s([2, 4, 2]), s([3], { int: true, values: [1, 1, 3] })], f: (x, i) => tf.gather(x, i, 1) },
  { kernel: 'GatherV2', label: 'batchDims 1', inputs: [s([2, 3, 2]), s([2, 2], { int: true, values: [0, 2, 1, 1] })], f: (x, i) => tf.gather(x, i, 1, 1) },
  { kernel: 'UnsortedSegmentSum', inputs: [s([5, 2]), s([5], { int: true, values: [2, 0, -1, 2, 1] })], f: (x, i) => tf.unsortedSegmentSum(x, i as tf.Tensor1D, 3) },
  { kernel: 'BatchMatMul', inputs: [s([2, 3, 4]), s([2, 4, 2])], f: (a, b) => tf.matMul(a, b) },
  { kernel: 'BatchMatMul', label: 'transposes', inputs: [s([4, 3]), s([2, 4])], f: (a, b) => tf.matMul(a, b, true, true) },
  { kernel: 'BatchMatMul', label: 'transpose b', inputs: [s([3, 4]), s([2, 4])], f: (a, b) => tf.matMul(a, b, false, true) },
  { kernel: 'BatchMatMul', label: 'transpose a', inputs: [s([4, 3]), s([4, 2])], f: (a, b) => tf.matMul(a, b, true, false) },
  { kernel: 'Conv2D', inputs: [s([2, 5, 4, 2]), s([3, 2, 2, 3])], f: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [2, 1], 'same') },
  { kernel: 'Conv2D', label: 'explicit', inputs: [s([1, 4, 4, 2]), s([3, 3, 2, 2])], f: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, [[0, 0], [1, 0], [1, 1], [0, 0]]) },
  { kernel: 'Conv2DBackpropInput', inputs: [s([2, 3, 3, 3]), s([4, 4, 2, 3])], f: (x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 6, 6, 2], 2, [[0, 0], [1, 1], [1, 1], [0, 0]]) },
  { kernel: 'DepthwiseConv2dNative', inputs: [s([2, 5, 5, 2]), s([3, 3, 2, 2])], f: (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same') },
  unary('MaxPool', (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), s([1, 4, 4, 2], { values: Array.from({ length: 32 }, (_, i) => ((i * 37) % 32) / 16 - 1) })),
  // 'valid' only: tfjs's AvgPoolGrad divides by the whole window where 'same' pads, its forward by the valid part.
  unary('AvgPool', (x) => tf.avgPool(x as tf.Tensor4D, 3, 2, 'valid'), s([2, 5, 5, 1])),
  { kernel: 'FusedBatchNorm', inputs: [s([2, 2, 2, 3]), s([3]), s([3], { positive: true, lo: 0.5, hi: 1.5 }), s([3]), s([3])], f: (x, m, v, o, sc) => tf.batchNorm(x, m, v, o, sc, 1e-3) },
  // Square input: the cpu backend's ResizeBilinearGrad swaps height and width in its output shape.
  unary('ResizeBilinear', (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [5, 4]), s([1, 3, 3, 2])),
  unary('ResizeNearestNeighbor', (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [4, 6]), s([1, 2, 3, 1])),
];

/** Kernels whose gradient is zero or undefined almost everywhere: checked to run, not against differences. */
const ZERO_GRADIENT = new Set(['Ceil', 'Floor', 'Round', 'Sign', 'Step', 'ZerosLike', 'OnesLike', 'IsNan', 'IsInf', 'IsFinite',
  'Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'OneHot', 'ArgMax', 'ArgMin', 'FloorDiv']);

describe('gradients (finite differences, cpu backend)', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  it('cover every registered gradient', () => {
    const checked = new Set(CASES.map((c) => c.kernel));
    const missing = GRADIENTS.map((g) => g.kernelName).filter((n) => !checked.has(n) && !ZERO_GRADIENT.has(n));
    expect(missing).toEqual([]);
  });

  for (const [i, c] of CASES.entries()) {
    it(`${c.kernel}${c.label ? ` (${c.label})` : ''} #${i}`, async () => {
      const r = await checkGradient(c, new Rng(100 + i));
      expect(r.kernelsRun).toContain(c.kernel);
      expect(r.worst).toBeLessThanOrEqual(1);
    });
  }

  it('zero gradients are zeros of the input shapes', () => {
    const x = tf.tensor([0.3, -1.7, 2.2]);
    const grads = tf.grads((a: tf.Tensor) => tf.add(tf.sum(tf.floor(a)), tf.sum(tf.sign(a))))([x]);
    expect(Array.from(grads[0]!.dataSync())).toEqual([0, 0, 0]);
    tf.dispose([x, ...grads]);
  });
});
