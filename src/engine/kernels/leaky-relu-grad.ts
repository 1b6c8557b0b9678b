import { tf } from '../tf.js';
import type { KernelArgs } from '../wasm.js';
import { withHostArrays } from './host.js';

/**
 * "VitrineLeakyReluGrad": dx = x > 0 ? dy : alpha·dy (alpha 0 for ReLU), the
 * gradient of both. On cpu one pass here; on plain wasm Step and Multiply,
 * wasm's fast kernels (~1 ns per value against ~5-10 for a JavaScript loop,
 * and tfjs-core's own gradient adds Greater and Select, slow on wasm). The
 * native addon replaces it on wasm with one pass in C.
 */
export const LEAKY_RELU_GRAD_KERNEL = 'VitrineLeakyReluGrad';

export function leakyReluGradKernel(args: KernelArgs): tf.TensorInfo {
  const { dy, x } = args.inputs as Record<string, tf.TensorInfo>;
  const alpha = Number((args.attrs as { alpha?: number } | undefined)?.alpha ?? 0);
  const backend = args.backend as { wasm?: unknown; disposeData(dataId: tf.DataId): boolean };
  if (backend.wasm !== undefined) {
    const step = tf.getKernel('Step', 'wasm')!.kernelFunc({ inputs: { x: x! }, backend, attrs: { alpha } }) as tf.TensorInfo;
    const out = tf.getKernel('Multiply', 'wasm')!.kernelFunc({ inputs: { a: dy!, b: step }, backend }) as tf.TensorInfo;
    backend.disposeData(step.dataId);
    return out;
  }
  return withHostArrays(args.backend, [dy!, x!], [dy!.shape], ([dyv, xv], [dx]) => {
    for (let i = 0; i < dx!.length; i++) dx![i] = xv![i]! > 0 ? dyv![i]! : alpha * dyv![i]!;
  })[0]!;
}
