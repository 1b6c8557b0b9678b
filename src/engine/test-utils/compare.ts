import { Rng } from '../../core/rng.js';
import { tf } from '../tf.js';

/**
 * Helpers for kernel tests: run one kernel on a named backend with plain
 * arrays in and out, and compare within a float32 tolerance.
 */

export interface HostTensor {
  data: Float32Array | Int32Array;
  shape: number[];
  dtype?: 'float32' | 'int32';
}

/** Uniform values in [-1, 1) of a shape, from a seeded stream. */
export function randomHost(rng: Rng, shape: number[]): HostTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.uniform(-1, 1);
  return { data, shape };
}

/** Runs kernel `name` on `backend` (switching to it) and returns its output values. */
export async function runKernelOn(
  backend: string, name: string, inputs: Record<string, HostTensor>, attrs: Record<string, unknown>,
): Promise<{ data: Float32Array; shape: number[] }> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
  return tf.tidy(() => {
    const ins: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) ins[k] = tf.tensor(v.data, v.shape, v.dtype ?? 'float32');
    const out = tf.engine().runKernel(name, ins as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
    return { data: Float32Array.from(out.dataSync()), shape: out.shape };
  });
}

/** Largest |a - b| / (atol + rtol·|b|): at most 1 means "within tolerance". */
export function closeness(a: ArrayLike<number>, b: ArrayLike<number>, rtol = 1e-4, atol = 1e-4): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!) / (atol + rtol * Math.abs(b[i]!));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}
