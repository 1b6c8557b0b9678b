import { tf } from '../tf.js';
import { at, axesOf, type GradSpec } from './util.js';

/**
 * gather's gradient scatters dy back with UnsortedSegmentSum over the
 * gathered axis (moved first); UnsortedSegmentSum's gathers dy back, zero
 * for negative ids (TensorFlow's _GatherDropNegatives).
 */

function gatherGrad(x: tf.Tensor, indices: tf.Tensor, dy: tf.Tensor, axis: number): tf.Tensor {
  const outer = x.shape.slice(0, axis);
  const inner = x.shape.slice(axis + 1);
  const n = indices.size;
  const values = tf.reshape(dy, [...outer, n, ...inner]);
  const perm = [outer.length, ...outer.map((_, i) => i), ...inner.map((_, i) => outer.length + 1 + i)];
  const summed = tf.unsortedSegmentSum(tf.transpose(values, perm), tf.reshape(indices, [n]) as tf.Tensor1D, x.shape[axis]!);
  return tf.transpose(summed, tf.backend_util.getUndoAxesPermutation(perm));
}

const gatherV2: GradSpec = {
  kernelName: 'GatherV2',
  inputsToSave: ['x', 'indices'],
  gradFunc: (dy, saved, attrs) => {
    const x = at(saved, 0);
    const indices = at(saved, 1);
    const axis = axesOf(attrs.axis, x.shape)[0]!;
    if (attrs.batchDims === 1) {
      const b = x.shape[0]!;
      return {
        x: () => tf.stack(tf.split(x, b, 0).map((xi, i) =>
          gatherGrad(tf.squeeze(xi, [0]), tf.slice(indices, i, 1), tf.squeeze(tf.slice(dy, i, 1), [0]), axis - 1))),
        indices: () => indices,
      };
    }
    return { x: () => gatherGrad(x, indices, dy, axis), indices: () => indices };
  },
};

const unsortedSegmentSum: GradSpec = {
  kernelName: 'UnsortedSegmentSum',
  inputsToSave: ['segmentIds'],
  gradFunc: (dy, saved) => {
    const ids = at(saved, 0);
    return {
      x: () => {
        const gathered = tf.gather(dy, tf.maximum(ids, tf.zerosLike(ids)));
        let positive = tf.greaterEqual(ids, tf.scalar(0, 'int32'));
        for (let i = 0; i < gathered.rank - ids.rank; i++) positive = tf.expandDims(positive, i + 1);
        return tf.where(tf.logicalAnd(positive, tf.ones(gathered.shape, 'bool')), gathered, tf.zerosLike(gathered));
      },
    };
  },
};

export const GATHER_GRADIENTS: GradSpec[] = [gatherV2, unsortedSegmentSum];
