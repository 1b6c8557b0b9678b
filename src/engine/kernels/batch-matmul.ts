import type { tf } from '../tf.js';
import { asWasmBackend, f32View, type KernelArgs, type WasmBackendLike } from '../wasm.js';
import { transpose2d } from './im2col.js';
import { heapTensor } from './wasm-gemm.js';

/**
 * BatchMatMul for the wasm backend with transposes done by a copy first:
 * tfjs's wasm kernel is ~7x slower with transposeA or transposeB than
 * without (every matmul gradient has one), and transposing an operand costs
 * one pass over it. Wraps the kernel it replaces.
 */
export function batchMatMulWithoutTransposes(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { a, b } = args.inputs as Record<string, tf.TensorInfo>;
    const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const ta = attrs.transposeA === true;
    const tb = attrs.transposeB === true;
    if ((!ta && !tb) || a!.dtype !== 'float32' || b!.dtype !== 'float32' || a!.shape.length < 2 || b!.shape.length < 2) return original(args);
    const backend = asWasmBackend(args.backend);
    const at = ta ? transposedLast2(backend, a!) : a!;
    const bt = tb ? transposedLast2(backend, b!) : b!;
    try {
      return original({ ...args, inputs: { a: at, b: bt }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    } finally {
      if (ta) backend.disposeData(at.dataId);
      if (tb) backend.disposeData(bt.dataId);
    }
  };
}

/** A copy of t with its last two axes swapped. */
function transposedLast2(backend: WasmBackendLike, t: tf.TensorInfo): tf.TensorInfo {
  const rank = t.shape.length;
  const rows = t.shape[rank - 2]!;
  const cols = t.shape[rank - 1]!;
  const batch = t.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  return heapTensor(backend, [...t.shape.slice(0, -2), cols, rows], (dst) => {
    const src = f32View(backend, t);
    const size = rows * cols;
    for (let i = 0; i < batch; i++) transpose2d(src.subarray(i * size, (i + 1) * size), rows, cols, dst.subarray(i * size, (i + 1) * size));
  });
}
