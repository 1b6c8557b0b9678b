import type { tf } from '../tf.js';
import { asWasmBackend, f32View } from '../wasm.js';

/**
 * Runs a TypeScript kernel body on either host backend: on wasm over views
 * of the heap (outputs allocated first, so the views stay valid; no
 * copies), on cpu over the backend's arrays. Inputs must be float32.
 */
export function withHostArrays(
  backend: unknown, inputs: tf.TensorInfo[], outShapes: number[][],
  compute: (ins: Float32Array[], outs: Float32Array[]) => void,
): tf.TensorInfo[] {
  if ((backend as { wasm?: unknown }).wasm !== undefined) {
    const w = asWasmBackend(backend);
    const outs = outShapes.map((s) => w.makeOutput(s, 'float32'));
    compute(inputs.map((t) => f32View(w, t)), outs.map((o) => f32View(w, o)));
    return outs;
  }
  const cpu = backend as {
    readSync(dataId: tf.DataId): Float32Array;
    makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
  };
  const outs = outShapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)));
  compute(inputs.map((t) => cpu.readSync(t.dataId)), outs);
  return outs.map((o, i) => cpu.makeTensorInfo(outShapes[i]!, 'float32', o));
}
