import { tf } from '../tf.js';
import { at, kernel, unbroadcast, type GradSpec } from './util.js';

/** Gradients of the neural-network kernels: matmul, convolutions, pooling, batch norm, resizing. */

/** d(a·b): the four transpose cases of tfjs-core's BatchMatMul gradient. */
const batchMatMul: GradSpec = {
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const a = at(saved, 0);
    const b = at(saved, 1);
    const ta = attrs.transposeA === true;
    const tb = attrs.transposeB === true;
    if (!ta && !tb) return { a: () => tf.matMul(dy, b, false, true), b: () => tf.matMul(a, dy, true, false) };
    if (!ta && tb) return { a: () => tf.matMul(dy, b, false, false), b: () => tf.matMul(dy, a, true, false) };
    if (ta && !tb) return { a: () => tf.matMul(b, dy, false, true), b: () => tf.matMul(a, dy, false, false) };
    return { a: () => tf.matMul(b, dy, true, true), b: () => tf.matMul(dy, a, true, true) };
  },
};

function convAttrs(attrs: Record<string, unknown>): Record<string, unknown> {
  return { strides: attrs.strides, pad: attrs.pad, dataFormat: attrs.dataFormat ?? 'NHWC', dimRoundingMode: attrs.dimRoundingMode };
}

function assertUnitDilation(op: string, d: unknown): void {
  if (!tf.backend_util.tupleValuesAreOne((d ?? 1) as number | [number, number])) {
    throw new Error(`vitrine: the gradient of ${op} supports dilation 1 only (got ${String(d)}), as tfjs-core's`);
  }
}

const conv2D: GradSpec = {
  kernelName: 'Conv2D',
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs) => {
    const x = at(saved, 0);
    const filter = at(saved, 1);
    assertUnitDilation('conv2d', attrs.dilations);
    const c = convAttrs(attrs);
    return {
      x: () => kernel('Conv2DBackpropInput', { dy, filter }, { ...c, inputShape: x.shape }),
      filter: () => kernel('Conv2DBackpropFilter', { x, dy }, { ...c, filterShape: filter.shape }),
    };
  },
};

/** Conv2DBackpropInput (transposed convolution): its input gradient is a convolution, its filter gradient a backprop-filter. */
const conv2DBackpropInput: GradSpec = {
  kernelName: 'Conv2DBackpropInput',
  inputsToSave: ['dy', 'filter'],
  gradFunc: (ddx, saved, attrs) => {
    const dy = at(saved, 0);
    const filter = at(saved, 1);
    const c = convAttrs(attrs);
    return {
      dy: () => kernel('Conv2D', { x: ddx, filter }, { ...c, dilations: 1 }),
      filter: () => kernel('Conv2DBackpropFilter', { x: ddx, dy }, { ...c, filterShape: filter.shape }),
    };
  },
};

const depthwise: GradSpec = {
  kernelName: 'DepthwiseConv2dNative',
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs) => {
    const x = at(saved, 0);
    const filter = at(saved, 1);
    assertUnitDilation('depthwiseConv2d', attrs.dilations);
    const c = { strides: attrs.strides, pad: attrs.pad, dimRoundingMode: attrs.dimRoundingMode, dilations: [1, 1] };
    return {
      x: () => kernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...c, inputShape: x.shape }),
      filter: () => kernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...c, filterShape: filter.shape }),
    };
  },
};

const maxPool: GradSpec = {
  kernelName: 'MaxPool',
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const { filterSize, strides, pad, dimRoundingMode } = attrs;
    return { x: () => kernel('MaxPoolGrad', { dy, input: at(saved, 0), output: at(saved, 1) }, { filterSize, strides, pad, dimRoundingMode }) };
  },
};

const avgPool: GradSpec = {
  kernelName: 'AvgPool',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const { filterSize, strides, pad } = attrs;
    return { x: () => kernel('AvgPoolGrad', { dy, input: at(saved, 0) }, { filterSize, strides, pad }) };
  },
};

const resize = (kernelName: string, gradKernel: string): GradSpec => ({
  kernelName,
  inputsToSave: ['images'],
  gradFunc: (dy, saved, attrs) => ({ images: () => kernel(gradKernel, { dy, images: at(saved, 0) }, attrs) }),
});

/**
 * batchNorm: y = (x - mean) · rsqrt(var + eps) · scale + offset, each input
 * differentiated (mean and variance too, so batch statistics computed from x
 * pass their gradient back to x).
 */
const fusedBatchNorm: GradSpec = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const x = at(saved, 0);
    const mean = at(saved, 1);
    const variance = at(saved, 2);
    const scale = saved[3] ?? tf.scalar(1);
    const to = (t: tf.Tensor, shape: number[]): tf.Tensor => unbroadcast(t, shape, x.shape);
    const centered = tf.sub(x, mean);
    const dyScaled = tf.mul(dy, scale);
    const rstd = tf.rsqrt(tf.add(variance, tf.scalar(attrs.varianceEpsilon as number)));
    return {
      x: () => tf.reshape(tf.mul(tf.mul(dy, rstd), scale), x.shape),
      mean: () => to(tf.mul(tf.neg(rstd), dyScaled), mean.shape),
      variance: () => to(tf.mul(tf.mul(tf.mul(tf.pow(rstd, 3), -0.5), centered), dyScaled), variance.shape),
      scale: () => to(tf.mul(dy, tf.mul(centered, rstd)), scale.shape),
      offset: () => to(dy, mean.shape),
    };
  },
};

export const NN_GRADIENTS: GradSpec[] = [
  batchMatMul, conv2D, conv2DBackpropInput, depthwise, maxPool, avgPool, fusedBatchNorm,
  resize('ResizeBilinear', 'ResizeBilinearGrad'), resize('ResizeNearestNeighbor', 'ResizeNearestNeighborGrad'),
];
