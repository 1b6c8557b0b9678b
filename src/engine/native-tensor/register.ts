import { tf } from '../tf.js';
import type { KernelArgs } from '../wasm.js';
import type { TensorAddon } from './addon.js';
import { nativeConv2D, nativeConv2DBackpropFilter, nativeConv2DBackpropInput } from './conv.js';
import { nativeAdam, nativeLeakyRelu, nativeLeakyReluGrad, nativeSum } from './elementwise.js';
import { nativeMatMul } from './matmul.js';

type NativeImpl = (args: KernelArgs, addon: TensorAddon) => tf.TensorInfo | tf.TensorInfo[] | undefined;

/**
 * The wasm kernels the addon replaces: the convolution and matrix-multiply
 * kernels (most of a CNN step's time), the element-wise kernels the wasm
 * backend runs slowest in one, and vitrine's fused ReLU-gradient and Adam
 * kernels (see elementwise.ts).
 */
const NATIVE_IMPLS: Readonly<Record<string, NativeImpl>> = {
  BatchMatMul: nativeMatMul,
  _FusedMatMul: nativeMatMul,
  Conv2D: nativeConv2D,
  FusedConv2D: nativeConv2D,
  Conv2DBackpropInput: nativeConv2DBackpropInput,
  Conv2DBackpropFilter: nativeConv2DBackpropFilter,
  Sum: nativeSum,
  LeakyRelu: nativeLeakyRelu,
  VitrineLeakyReluGrad: nativeLeakyReluGrad,
  VitrineAdam: nativeAdam,
};

interface State {
  addon: TensorAddon;
  enabled: boolean;
  threads: number;
  originals: Map<string, tf.KernelFunc>;
}

let state: State | undefined;

/**
 * Registers the native kernels over the wasm backend's (once; the wasm
 * kernels they replace stay callable: each native kernel hands a case it
 * does not cover, or every call while disabled, to the kernel it replaced).
 * Register vitrine's wasm kernels first (kernels/register.ts), so the
 * fallbacks of Conv2DBackpropFilter and the Vitrine* kernels exist.
 * Returns the kernel names.
 */
export function registerNativeTensorKernels(addon: TensorAddon): string[] {
  if (state === undefined) {
    const originals = new Map<string, tf.KernelFunc>();
    for (const [name, impl] of Object.entries(NATIVE_IMPLS)) {
      const original = tf.getKernel(name, 'wasm');
      if (original === undefined) continue;
      originals.set(name, original.kernelFunc);
      tf.unregisterKernel(name, 'wasm');
      tf.registerKernel({
        kernelName: name,
        backendName: 'wasm',
        kernelFunc: (args) => (state?.enabled === true ? impl(args, addon) : undefined) ?? original.kernelFunc(args),
      });
    }
    state = { addon, enabled: true, threads: 1, originals };
    addon.setBlasThreads(1);
  }
  return [...state.originals.keys()];
}

/** Turns the native kernels on or off (off: the wasm kernels run); returns the previous setting. */
export function setNativeTensorKernels(on: boolean): boolean {
  const was = state?.enabled === true;
  if (state !== undefined) state.enabled = on;
  return was;
}

/** Whether native kernels are registered and on. */
export function nativeTensorKernelsOn(): boolean {
  return state?.enabled === true;
}

/** Names of the kernels running natively now (empty when off or not registered). */
export function nativeTensorKernelNames(): string[] {
  return state?.enabled === true ? [...state.originals.keys()] : [];
}

/** Runs a synchronous fn with the native kernels on or off, restoring the setting after (tests, benchmarks). */
export function withNativeTensorKernels<T>(on: boolean, fn: () => T): T {
  const was = setNativeTensorKernels(on);
  try {
    return fn();
  } finally {
    setNativeTensorKernels(was);
  }
}

/** BLAS threads of the native kernels (1 by default). */
export function setTensorThreads(threads: number): void {
  if (state === undefined) return;
  state.threads = Math.max(1, Math.floor(threads));
  state.addon.setBlasThreads(state.threads);
}

export function tensorThreads(): number {
  return state?.threads ?? 1;
}

/** The BLAS the addon links (e.g. "OpenBLAS 0.3.21 ... SkylakeX"), when registered. */
export function blasConfig(): string | undefined {
  return state?.addon.blasInfo().config;
}
