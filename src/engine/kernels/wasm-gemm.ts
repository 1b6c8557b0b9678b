import { tf } from '../tf.js';
import { f32View, type WasmBackendLike } from '../wasm.js';

/**
 * Matrix products for vitrine's TypeScript wasm kernels. tfjs's wasm
 * BatchMatMul is fast only without transposes (measured at 512x1024x128:
 * ~12 GFLOPS plain, ~1.7 with transposeA or transposeB), so callers lay their
 * operands out to need none.
 */

/** c[1, m, n] = a[1, m, k] · b[1, k, n] with the registry's BatchMatMul for wasm. */
export function matmulPlain(backend: WasmBackendLike, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const kernel = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  return kernel({ inputs: { a, b }, backend: backend as object, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
}

/** A new float32 tensor of `shape` on the heap, filled by `fill` (its view is valid during the call). */
export function heapTensor(backend: WasmBackendLike, shape: number[], fill: (view: Float32Array) => void): tf.TensorInfo {
  const t = backend.makeOutput(shape, 'float32');
  fill(f32View(backend, t));
  return t;
}

/** The same data under another shape (no copy; for inputs of one kernel call, not kept). */
export function reshaped(t: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}
