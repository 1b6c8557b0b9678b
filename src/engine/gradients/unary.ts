import { tf } from '../tf.js';
import { LEAKY_RELU_GRAD_KERNEL } from '../kernels/leaky-relu-grad.js';
import { at, kernel, zeroGrad, type GradSpec } from './util.js';

/** Gradients of element-wise unary ops: dx = dy · f'(x), f' written from x or from the saved output y. */

/** As float32; no Cast kernel (a copy on wasm) when it already is. */
const f32 = (t: tf.Tensor): tf.Tensor => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'));

/** f' from the input x. */
function fromX(kernelName: string, d: (x: tf.Tensor, dy: tf.Tensor, attrs: Record<string, unknown>) => tf.Tensor): GradSpec {
  return { kernelName, inputsToSave: ['x'], gradFunc: (dy, saved, attrs) => ({ x: () => d(at(saved, 0), dy, attrs) }) };
}

/** f' from the output y (saved as the only saved tensor). */
function fromY(kernelName: string, d: (y: tf.Tensor, dy: tf.Tensor) => tf.Tensor): GradSpec {
  return { kernelName, outputsToSave: [true], gradFunc: (dy, saved) => ({ x: () => d(at(saved, 0), dy) }) };
}

const one = (): tf.Scalar => tf.scalar(1);

export const UNARY_GRADIENTS: GradSpec[] = [
  fromX('Abs', (x, dy) => tf.mul(dy, tf.step(f32(x), -1))),
  fromX('Acos', (x, dy) => tf.neg(tf.div(dy, tf.sqrt(tf.sub(one(), tf.square(f32(x))))))),
  fromX('Acosh', (x, dy) => tf.div(dy, tf.sqrt(tf.sub(tf.square(f32(x)), 1)))),
  fromX('Asin', (x, dy) => tf.div(dy, tf.sqrt(tf.sub(one(), tf.square(f32(x)))))),
  fromX('Asinh', (x, dy) => tf.div(dy, tf.sqrt(tf.add(one(), tf.square(f32(x)))))),
  fromX('Atan', (x, dy) => tf.div(dy, tf.add(tf.square(f32(x)), 1))),
  fromX('Atanh', (x, dy) => tf.div(dy, tf.sub(one(), tf.square(f32(x))))),
  fromX('Cos', (x, dy) => tf.mul(tf.neg(tf.sin(f32(x))), dy)),
  fromX('Cosh', (x, dy) => tf.mul(tf.sinh(f32(x)), dy)),
  fromX('Erf', (x, dy) => tf.mul(dy, tf.mul(tf.exp(tf.neg(tf.square(x))), 2 / Math.sqrt(Math.PI)))),
  fromX('Expm1', (x, dy) => tf.mul(dy, tf.exp(x))),
  // where(x > 0, dy, α·dy) as one kernel (tfjs-core: Greater, Multiply and Select, all slow on wasm).
  fromX('LeakyRelu', (x, dy, a) => kernel(LEAKY_RELU_GRAD_KERNEL, { dy, x }, { alpha: a.alpha })),
  fromX('Log', (x, dy) => tf.div(dy, f32(x))),
  fromX('Log1p', (x, dy) => tf.div(dy, tf.add(x, 1))),
  fromX('Reciprocal', (x, dy) => tf.div(dy, tf.neg(tf.square(x)))),
  fromX('Relu', (x, dy) => kernel(LEAKY_RELU_GRAD_KERNEL, { dy, x }, { alpha: 0 })),
  fromX('Relu6', (x, dy) => tf.mul(dy, f32(tf.mul(tf.lessEqual(x, 6), tf.step(x))))),
  fromX('Rsqrt', (x, dy) => tf.neg(tf.div(dy, tf.mul(tf.pow(x, 1.5), 2)))),
  fromX('Selu', (x, dy) =>
    tf.where(tf.greater(x, 0), tf.mul(dy, tf.backend_util.SELU_SCALE), tf.mul(tf.mul(dy, tf.backend_util.SELU_SCALEALPHA), tf.exp(f32(x))))),
  fromX('Sin', (x, dy) => tf.mul(tf.cos(f32(x)), dy)),
  fromX('Sinh', (x, dy) => tf.mul(tf.cosh(f32(x)), dy)),
  fromX('Softplus', (x, dy) => tf.mul(dy, tf.sigmoid(x))),
  fromX('Sqrt', (x, dy) => tf.div(dy, tf.mul(tf.sqrt(f32(x)), 2))),
  fromX('Square', (x, dy) => tf.mul(dy, tf.mul(f32(x), 2))),
  fromX('Tan', (x, dy) => tf.div(dy, tf.square(tf.cos(x)))),
  fromX('ClipByValue', (x, dy, a) =>
    tf.where(tf.logicalAnd(tf.greaterEqual(x, a.clipValueMin as number), tf.lessEqual(x, a.clipValueMax as number)), dy, tf.zerosLike(dy))),
  fromY('Exp', (y, dy) => tf.mul(dy, y)),
  fromY('Sigmoid', (y, dy) => tf.mul(dy, tf.mul(y, tf.sub(one(), y)))),
  fromY('Tanh', (y, dy) => tf.mul(tf.sub(one(), tf.square(y)), dy)),
  fromY('Elu', (y, dy) => kernel('EluGrad', { dy, y })),
  { kernelName: 'Neg', gradFunc: (dy) => ({ x: () => tf.neg(dy) }) },
  { kernelName: 'Cast', gradFunc: (dy) => ({ x: () => tf.clone(dy) }) },
  { kernelName: 'Identity', gradFunc: (dy) => ({ x: () => f32(dy) }) },
  ...['Ceil', 'Floor', 'Round', 'Sign', 'Step', 'ZerosLike', 'OnesLike', 'IsNan', 'IsInf', 'IsFinite'].map((n) => zeroGrad(n)),
];
