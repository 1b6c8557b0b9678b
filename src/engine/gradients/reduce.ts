import { tf } from '../tf.js';
import { at, axesOf, type GradSpec } from './util.js';

/** Gradients of reductions and normalisers: dy broadcast back over the reduced axes. */

/** dy reshaped so it broadcasts against x (reduced axes kept as 1). */
function expandTo(dy: tf.Tensor, xShape: number[], axes: number[]): tf.Tensor {
  const shape = xShape.slice();
  for (const a of axes) shape[a] = 1;
  return tf.reshape(dy, shape);
}

const sum: GradSpec = {
  kernelName: 'Sum',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = at(saved, 0);
    return { x: () => tf.mul(expandTo(dy, x.shape, axesOf(attrs.axis, x.shape)), tf.ones(x.shape, 'float32')) };
  },
};

const mean: GradSpec = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = at(saved, 0);
    const axes = axesOf(attrs.axis, x.shape);
    const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
    return { x: () => tf.div(tf.mul(expandTo(dy, x.shape, axes), tf.ones(x.shape, 'float32')), n) };
  },
};

/** Max and Min: dy flows to every position equal to the extremum (tfjs's gradForMinAndMax). */
function extremum(kernelName: string, axisAttr: string): GradSpec {
  return {
    kernelName,
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const x = at(saved, 0);
      const axes = axesOf(attrs[axisAttr], x.shape);
      const y = expandTo(at(saved, 1), x.shape, axes);
      return { x: () => tf.mul(expandTo(dy, x.shape, axes), tf.cast(tf.equal(x, y), dy.dtype)) };
    },
  };
}

/** Prod over axes: moved last and flattened; d/dx_i = Π_{j<i} x_j · Π_{j>i} x_j (exclusive cumprods). */
const prod: GradSpec = {
  kernelName: 'Prod',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = at(saved, 0);
    const axes = attrs.axis === undefined || attrs.axis === null ? x.shape.map((_, i) => i) : axesOf(attrs.axis, x.shape);
    return {
      x: () => {
        const rank = x.rank;
        const perm = tf.backend_util.getAxesPermutation(axes, rank);
        const px = perm === null ? x : tf.transpose(x, perm);
        const kept = px.shape.slice(0, rank - axes.length);
        const flat = tf.reshape(px, [...kept, -1]);
        const last = kept.length;
        const d = tf.mul(tf.cumprod(flat, last, true, false), tf.cumprod(flat, last, true, true));
        const g = tf.reshape(tf.mul(tf.reshape(dy, [...kept, 1]), d), px.shape);
        return perm === null ? g : tf.transpose(g, tf.backend_util.getUndoAxesPermutation(perm));
      },
    };
  },
};

/** cumsum's adjoint is the cumsum the other way along the same axis (tfjs-core also transposes it, wrongly, off the last axis). */
const cumsum: GradSpec = {
  kernelName: 'Cumsum',
  gradFunc: (dy, _saved, attrs) => ({ x: () => tf.cumsum(dy, attrs.axis as number, attrs.exclusive as boolean, !(attrs.reverse as boolean)) }),
};

/** softmax: dx = (dy - Σ dy·y) · y. */
const softmax: GradSpec = {
  kernelName: 'Softmax',
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const y = at(saved, 0);
    const dyy = tf.mul(dy, y);
    return { logits: () => tf.sub(dyy, tf.mul(tf.sum(dyy, [attrs.dim as number], true), y)) };
  },
};

export const REDUCE_GRADIENTS: GradSpec[] = [sum, mean, extremum('Max', 'reductionIndices'), extremum('Min', 'axis'), prod, cumsum, softmax];
