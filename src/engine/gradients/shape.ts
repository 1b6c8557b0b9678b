import { tf } from '../tf.js';
import { at, axesOf, zeroGrad, type GradSpec } from './util.js';

/** Gradients of ops that move, select or copy values: each routes dy back to where the value came from. */

const reshapeLike = (kernelName: string, input: string): GradSpec => ({
  kernelName,
  inputsToSave: [input],
  gradFunc: (dy, saved) => ({ [input]: () => tf.reshape(dy, at(saved, 0).shape) }),
});

const transpose: GradSpec = {
  kernelName: 'Transpose',
  gradFunc: (dy, _s, attrs) => ({ x: () => tf.transpose(dy, tf.backend_util.getUndoAxesPermutation(attrs.perm as number[])) }),
};

const slice: GradSpec = {
  kernelName: 'Slice',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = at(saved, 0);
    const [begin = [], size = []] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
    const pads = x.shape.map((d, i) => [begin[i]!, d - begin[i]! - size[i]!] as [number, number]);
    return { x: () => tf.pad(dy, pads) };
  },
};

/** PadV2: the gradient is dy with the padding cut off. */
const padV2: GradSpec = {
  kernelName: 'PadV2',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = at(saved, 0);
    return { x: () => tf.slice(dy, (attrs.paddings as [number, number][]).map((p) => p[0]), x.shape) };
  },
};

/**
 * MirrorPad: the padded values are copies of x's edge, so their gradients
 * fold back onto those edge positions, axis by axis (tfjs-core's gradient
 * drops them, which finite differences show is wrong). 'reflect' mirrors
 * without the edge value itself (offset 1), 'symmetric' with it (offset 0).
 */
const mirrorPad: GradSpec = {
  kernelName: 'MirrorPad',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = at(saved, 0);
    const offset = attrs.mode === 'reflect' ? 1 : 0;
    return {
      x: () => (attrs.paddings as [number, number][]).reduce((g, [before, after], axis) => {
        const n = x.shape[axis]!;
        const part = (start: number, size: number): tf.Tensor =>
          tf.slice(g, g.shape.map((_, i) => (i === axis ? start : 0)), g.shape.map((d, i) => (i === axis ? size : d)));
        const padAxis = (t: tf.Tensor, lo: number, hi: number): tf.Tensor => tf.pad(t, t.shape.map((_, i) => (i === axis ? [lo, hi] : [0, 0])) as [number, number][]);
        let out = part(before, n);
        if (before > 0) out = tf.add(out, padAxis(tf.reverse(part(0, before), axis), offset, n - before - offset));
        if (after > 0) out = tf.add(out, padAxis(tf.reverse(part(before + n, after), axis), n - after - offset, offset));
        return out;
      }, dy),
    };
  },
};

const concat: GradSpec = {
  kernelName: 'Concat',
  saveAllInputs: true,
  gradFunc: (dy, saved, attrs) => {
    const axis = axesOf(attrs.axis, at(saved, 0).shape)[0]!;
    const parts = tf.split(dy, saved.map((t) => t.shape[axis]!), axis);
    return Object.fromEntries(parts.map((t, i) => [String(i), () => t]));
  },
};

const pack: GradSpec = {
  kernelName: 'Pack',
  saveAllInputs: true,
  gradFunc: (dy, _s, attrs) => Object.fromEntries(tf.unstack(dy, attrs.axis as number).map((t, i) => [String(i), () => t])),
};

/** Unpack and SplitV produce several outputs; the engine hands this gradient their dys as an array. */
const unpack: GradSpec = {
  kernelName: 'Unpack',
  gradFunc: (dy, _s, attrs) => ({ value: () => tf.stack(dy as unknown as tf.Tensor[], attrs.axis as number) }),
};

const splitV: GradSpec = {
  kernelName: 'SplitV',
  gradFunc: (dy, _s, attrs) => ({ x: () => tf.concat(dy as unknown as tf.Tensor[], attrs.axis as number) }),
};

/** Tile: view dy as [r0, d0, r1, d1, ...] and sum the repetition axes (any rank; tfjs-core stops at 4). */
const tile: GradSpec = {
  kernelName: 'Tile',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = at(saved, 0);
    const reps = attrs.reps as number[];
    return {
      x: () => {
        const split = x.shape.flatMap((d, i) => [reps[i]!, d]);
        return tf.reshape(tf.sum(tf.reshape(dy, split), x.shape.map((_, i) => 2 * i)), x.shape);
      },
    };
  },
};

const select: GradSpec = {
  kernelName: 'Select',
  inputsToSave: ['condition'],
  gradFunc: (dy, saved) => {
    const c = at(saved, 0);
    return {
      condition: () => tf.cast(tf.zerosLike(c), 'float32'),
      t: () => tf.mul(dy, tf.cast(c, dy.dtype)),
      e: () => tf.mul(dy, tf.cast(tf.logicalNot(c), dy.dtype)),
    };
  },
};

const reverse: GradSpec = {
  kernelName: 'Reverse',
  gradFunc: (dy, _s, attrs) => ({ x: () => tf.reverse(dy, axesOf(attrs.dims, dy.shape)) }),
};

export const SHAPE_GRADIENTS: GradSpec[] = [
  reshapeLike('Reshape', 'x'), reshapeLike('ExpandDims', 'input'),
  transpose, slice, padV2, mirrorPad, concat, pack, unpack, splitV, tile, select, reverse,
  zeroGrad('OneHot', ['indices']), zeroGrad('ArgMax'), zeroGrad('ArgMin'),
];
