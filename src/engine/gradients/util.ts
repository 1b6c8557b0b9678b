import { tf } from '../tf.js';

/**
 * Shared pieces of vitrine's gradient registrations. tfjs-core 4.22's
 * Node bundle (the one Node loads) ships no gradient configs: its index no
 * longer imports register_all_gradients, and only the @tensorflow/tfjs
 * union package, which vitrine does not depend on, registers them. So
 * vitrine registers its own, ported from tfjs-core's src/gradients
 * (Apache-2.0) to its public API, and checked against finite differences
 * (gradients.test.ts).
 */

export type Grads = Record<string, () => tf.Tensor>;

export interface GradSpec {
  kernelName: string;
  inputsToSave?: string[];
  saveAllInputs?: boolean;
  outputsToSave?: boolean[];
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[], attrs: Record<string, unknown>) => Grads;
}

/** Saved tensor i (inputs first, then outputs, as the engine saves them). */
export function at(saved: tf.Tensor[], i: number): tf.Tensor {
  const t = saved[i];
  if (t === undefined) throw new Error(`vitrine gradient: saved tensor ${i} missing`);
  return t;
}

/** Sums a broadcast gradient back down to `shape` (the operand's shape before broadcasting to outShape). */
export function unbroadcast(res: tf.Tensor, shape: number[], outShape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, outShape);
  return tf.reshape(axes.length > 0 ? tf.sum(res, axes) : res, shape);
}

/** Runs a kernel that has no public op (the backprop kernels). */
export function kernel(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}): tf.Tensor {
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
}

/** Axes of a reduction attribute, normalised. */
export function axesOf(axis: unknown, shape: number[]): number[] {
  return tf.util.parseAxisParam(axis as number | number[], shape);
}

/** Zero gradients for every named input (comparisons, rounding, index outputs). */
export function zeroGrad(kernelName: string, inputs: string[] = ['x']): GradSpec {
  return {
    kernelName,
    inputsToSave: inputs,
    gradFunc: (_dy, saved) => Object.fromEntries(inputs.map((n, i) => [n, () => tf.zerosLike(at(saved, i))])),
  };
}
