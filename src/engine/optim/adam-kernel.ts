import type { tf } from '../tf.js';
import { withHostArrays } from '../kernels/host.js';
import type { KernelArgs } from '../wasm.js';

/**
 * The "VitrineAdam" kernel: one Adam step over a parameter in a single pass
 * (inputs x, m, v, g; outputs x', m', v'; see native/src/elementwise.c for
 * the formula). This TypeScript version serves the cpu backend and plain
 * wasm; the native addon replaces it on wasm.
 */
export const ADAM_KERNEL = 'VitrineAdam';

export interface AdamAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1 / (1 - beta1^t) and 1 / (1 - beta2^t). */
  c1: number;
  c2: number;
}

export function adamKernel(args: KernelArgs): tf.TensorInfo[] {
  const { x, m, v, g } = args.inputs as Record<string, tf.TensorInfo>;
  const a = args.attrs as unknown as AdamAttrs;
  const shape = x!.shape;
  return withHostArrays(args.backend, [x!, m!, v!, g!], [shape, shape, shape], ([xv, mv, vv, gv], [xo, mo, vo]) => {
    for (let i = 0; i < xo!.length; i++) {
      const gi = gv![i]!;
      const mi = Math.fround(a.beta1 * mv![i]! + (1 - a.beta1) * gi);
      const vi = Math.fround(a.beta2 * vv![i]! + (1 - a.beta2) * gi * gi);
      mo![i] = mi;
      vo![i] = vi;
      xo![i] = xv![i]! - (a.lr * (a.c1 * mi)) / (Math.sqrt(a.c2 * vi) + a.eps);
    }
  });
}
