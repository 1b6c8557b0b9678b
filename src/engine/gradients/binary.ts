import { tf } from '../tf.js';
import { at, unbroadcast, zeroGrad, type GradSpec } from './util.js';

/** Gradients of broadcasting binary ops: each operand's gradient is summed back to its own shape. */

/** As float32; no Cast kernel (a copy on wasm) when it already is. */
const f32 = (t: tf.Tensor): tf.Tensor => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'));

function binary(kernelName: string, da: (a: tf.Tensor, b: tf.Tensor, dy: tf.Tensor) => tf.Tensor, db: (a: tf.Tensor, b: tf.Tensor, dy: tf.Tensor) => tf.Tensor): GradSpec {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const a = at(saved, 0);
      const b = at(saved, 1);
      const out = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
      return { a: () => unbroadcast(da(a, b, dy), a.shape, out), b: () => unbroadcast(db(a, b, dy), b.shape, out) };
    },
  };
}

const pow: GradSpec = {
  kernelName: 'Pow',
  inputsToSave: ['a', 'b'],
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const base = at(saved, 0);
    const exp = at(saved, 1);
    const y = at(saved, 2);
    const out = tf.broadcast_util.assertAndGetBroadcastShape(base.shape, exp.shape);
    return {
      a: () => unbroadcast(tf.mul(dy, tf.mul(f32(exp), tf.pow(base, tf.sub(f32(exp), tf.scalar(1))))), base.shape, out),
      b: () => unbroadcast(tf.mul(dy, tf.mul(y, tf.where(tf.greater(base, 0), tf.log(base), tf.zerosLike(base)))), exp.shape, out),
    };
  },
};

const prelu: GradSpec = {
  kernelName: 'Prelu',
  inputsToSave: ['x', 'alpha'],
  gradFunc: (dy, saved) => {
    const x = at(saved, 0);
    const alpha = at(saved, 1);
    const mask = tf.greater(x, 0);
    return {
      x: () => tf.where(mask, dy, tf.mul(dy, alpha)),
      alpha: () => unbroadcast(tf.where(mask, tf.zerosLike(dy), tf.mul(dy, x)), alpha.shape, dy.shape),
    };
  },
};

const addN: GradSpec = {
  kernelName: 'AddN',
  saveAllInputs: true,
  gradFunc: (dy, saved) => Object.fromEntries(saved.map((_, i) => [String(i), () => tf.clone(dy)])),
};

export const BINARY_GRADIENTS: GradSpec[] = [
  binary('Add', (_a, _b, dy) => dy, (_a, _b, dy) => dy),
  binary('Sub', (_a, _b, dy) => dy, (_a, _b, dy) => tf.neg(dy)),
  binary('Multiply', (_a, b, dy) => tf.mul(dy, f32(b)), (a, _b, dy) => tf.mul(dy, f32(a))),
  binary('RealDiv', (_a, b, dy) => tf.div(dy, f32(b)), (a, b, dy) => tf.neg(tf.div(tf.mul(dy, f32(a)), f32(tf.square(b))))),
  binary('Maximum', (a, b, dy) => tf.mul(dy, f32(tf.greaterEqual(a, b))), (a, b, dy) => tf.mul(dy, f32(tf.less(a, b)))),
  binary('Minimum', (a, b, dy) => tf.mul(dy, f32(tf.lessEqual(a, b))), (a, b, dy) => tf.mul(dy, f32(tf.greater(a, b)))),
  binary('SquaredDifference', (a, b, dy) => tf.mul(dy, tf.mul(2, tf.sub(a, b))), (a, b, dy) => tf.mul(dy, tf.mul(2, tf.sub(b, a)))),
  binary(
    'Atan2',
    (a, b, dy) => tf.mul(dy, tf.div(b, tf.add(tf.square(a), tf.square(b)))),
    (a, b, dy) => tf.neg(tf.mul(dy, tf.div(a, tf.add(tf.square(a), tf.square(b))))),
  ),
  pow,
  prelu,
  addN,
  // tfjs-core's FloorDiv gradient is RealDiv's (floor is treated as the identity).
  binary('FloorDiv', (_a, b, dy) => tf.div(dy, f32(b)), (a, b, dy) => tf.neg(tf.div(tf.mul(dy, f32(a)), f32(tf.square(b))))),
  binary('Mod', (_a, _b, dy) => dy, (a, b, dy) => tf.mul(dy, tf.neg(tf.floor(tf.div(a, b))))),
  ...['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual'].map((n) => zeroGrad(n, ['a', 'b'])),
];
