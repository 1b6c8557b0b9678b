import type { NativeKernels } from '../native.js';

/** The tensor half of the native addon (present when it was built with a CBLAS). */
const TENSOR_FUNCTIONS = [
  'tensorMatMul', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'tensorSum', 'tensorLeakyRelu', 'tensorLeakyReluGrad', 'tensorAdam', 'setBlasThreads', 'blasInfo',
] as const;

export type TensorAddon = Required<Pick<NativeKernels, (typeof TENSOR_FUNCTIONS)[number]>>;

/** The addon's tensor kernels, or undefined when it was built without BLAS (or is missing any of them). */
export function tensorAddon(k: NativeKernels | undefined): TensorAddon | undefined {
  if (k?.hasBlas !== true) return undefined;
  return TENSOR_FUNCTIONS.every((name) => typeof k[name] === 'function') ? (k as TensorAddon) : undefined;
}

/** Activation codes of native/src/tensor.h, by tfjs's fused-activation name. */
const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, relu6: 2, leakyrelu: 3, sigmoid: 4, elu: 5 };

/** The native code of a fused activation, or undefined (prelu: left to the wasm kernel). */
export function activationCode(name: unknown): number | undefined {
  return ACTIVATIONS[typeof name === 'string' ? name : 'linear'];
}

/** Length of a bias the native epilogue can apply: all `cols` values of a row, or one scalar. */
export function biasLength(biasShape: number[] | undefined, cols: number): number | undefined {
  if (biasShape === undefined) return 0;
  const size = biasShape.reduce((a, b) => a * b, 1);
  if (size === 1) return 1;
  return size === cols && biasShape[biasShape.length - 1] === cols ? cols : undefined;
}
