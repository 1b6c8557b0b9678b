import { tf } from '../tf.js';
import type { KernelArgs } from '../wasm.js';
import { batchMatMulWithoutTransposes } from './batch-matmul.js';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { conv2dBackpropInput } from './conv2d-backprop-input.js';
import { depthwiseConv2dNativeBackpropFilter, depthwiseConv2dNativeBackpropInput } from './depthwise-backprop.js';
import { ADAM_KERNEL, adamKernel } from '../optim/adam-kernel.js';
import { identityShared } from './identity.js';
import { LEAKY_RELU_GRAD_KERNEL, leakyReluGradKernel } from './leaky-relu-grad.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';

/**
 * Kernels tfjs-backend-wasm 4.22 lacks that training vitrine's models needs
 * (found by running each model family's training step on wasm; see
 * training.test.ts): conv2d's filter gradient, gather's gradient, and the
 * two depthwise-convolution gradients.
 */
export const MISSING_WASM_KERNELS: Readonly<Record<string, (args: KernelArgs) => tf.TensorInfo>> = Object.freeze({
  Conv2DBackpropFilter: conv2dBackpropFilter,
  UnsortedSegmentSum: unsortedSegmentSum,
  DepthwiseConv2dNativeBackpropInput: depthwiseConv2dNativeBackpropInput,
  DepthwiseConv2dNativeBackpropFilter: depthwiseConv2dNativeBackpropFilter,
});

/** Kernels of vitrine's own ops, for wasm and cpu (the native addon replaces them on wasm when built). */
export const VITRINE_KERNELS: Readonly<Record<string, (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]>> = Object.freeze({
  [ADAM_KERNEL]: adamKernel,
  [LEAKY_RELU_GRAD_KERNEL]: leakyReluGradKernel,
});

/**
 * wasm kernels vitrine replaces with faster ones of the same semantics,
 * each made from the kernel it replaces (to hand it what it does not cover).
 */
export const REPLACED_WASM_KERNELS: Readonly<Record<string, (original: tf.KernelFunc) => tf.KernelFunc>> = Object.freeze({
  Identity: () => identityShared as tf.KernelFunc,
  BatchMatMul: batchMatMulWithoutTransposes,
  Conv2DBackpropInput: (original: tf.KernelFunc) => ((args: KernelArgs) => conv2dBackpropInput(args) ?? original(args)) as tf.KernelFunc,
});

let replaced = false;

/**
 * Registers the missing kernels for 'wasm' and vitrine's own kernels for
 * 'wasm' and 'cpu' where none is registered yet, and the replacements once
 * (idempotent); returns their names.
 */
export function registerWasmKernels(): string[] {
  for (const [kernelName, kernelFunc] of Object.entries(MISSING_WASM_KERNELS)) {
    if (tf.getKernel(kernelName, 'wasm') === undefined) {
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
    }
  }
  for (const [kernelName, kernelFunc] of Object.entries(VITRINE_KERNELS)) {
    for (const backendName of ['wasm', 'cpu']) {
      if (tf.getKernel(kernelName, backendName) === undefined) tf.registerKernel({ kernelName, backendName, kernelFunc: kernelFunc as tf.KernelFunc });
    }
  }
  if (!replaced) {
    for (const [kernelName, make] of Object.entries(REPLACED_WASM_KERNELS)) {
      const original = tf.getKernel(kernelName, 'wasm');
      if (original === undefined) continue;
      tf.unregisterKernel(kernelName, 'wasm');
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: make(original.kernelFunc) });
    }
    replaced = true;
  }
  return [...Object.keys(MISSING_WASM_KERNELS), ...Object.keys(VITRINE_KERNELS), ...Object.keys(REPLACED_WASM_KERNELS)];
}
