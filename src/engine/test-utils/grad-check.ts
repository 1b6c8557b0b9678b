import type { Rng } from '../../core/rng.js';
import { tf } from '../tf.js';

/**
 * Finite-difference gradient checks for tests: the analytic gradient of
 * L(x) = Σ f(x) ⊙ w (w fixed and random, so every output element counts
 * differently) against central differences (L(x + h) - L(x - h)) / 2h for
 * every element of every differentiated input.
 */

export interface GradInput {
  shape: number[];
  /** Values in ±[lo, hi] (default 0.2 to 1, away from the kinks at 0 of relu, abs, ...). */
  lo?: number;
  hi?: number;
  /** Only positive values. */
  positive?: boolean;
  /** Fixed values instead of random ones. */
  values?: number[];
  /** An int32 input (indices): passed through, not differentiated. */
  int?: boolean;
}

export interface GradCase {
  /** The kernel whose gradient is checked (must run inside f). */
  kernel: string;
  label?: string;
  inputs: GradInput[];
  f: (...xs: tf.Tensor[]) => tf.Tensor;
  /** Step h (default 1e-2). */
  h?: number;
}

export interface GradResult {
  /** Largest |numeric - analytic| / (atol + rtol·|analytic|). At most 1 passes. */
  worst: number;
  kernelsRun: string[];
}

function values(rng: Rng, g: GradInput): Float32Array | Int32Array {
  const n = g.shape.reduce((a, b) => a * b, 1);
  if (g.values !== undefined) return g.int === true ? Int32Array.from(g.values) : Float32Array.from(g.values);
  const lo = g.lo ?? 0.2;
  const hi = g.hi ?? 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (g.positive === true || rng.bool() ? 1 : -1) * rng.uniform(lo, hi);
  return out;
}

/** Checks one case on the current backend. */
export async function checkGradient(c: GradCase, rng: Rng, rtol = 1e-2, atol = 3e-3): Promise<GradResult> {
  const data = c.inputs.map((g) => values(rng, g));
  const make = (arrays: (Float32Array | Int32Array)[]): tf.Tensor[] =>
    arrays.map((a, i) => tf.tensor(a, c.inputs[i]!.shape, c.inputs[i]!.int === true ? 'int32' : 'float32'));
  const outShape = tf.tidy(() => c.f(...make(data)).shape);
  const w = tf.tidy(() => tf.randomUniform(outShape, 0.5, 1.5, 'float32', rng.int(1 << 30)));
  const loss = (xs: tf.Tensor[]): tf.Scalar => tf.sum(tf.mul(c.f(...xs), w));
  const lossAt = (arrays: (Float32Array | Int32Array)[]): number => tf.tidy(() => loss(make(arrays)).dataSync()[0]!);
  const diff = c.inputs.map((g, i) => (g.int === true ? -1 : i)).filter((i) => i >= 0);
  const profile = await tf.profile(() =>
    tf.tidy(() => {
      const xs = make(data);
      const gradsOf = tf.grads((...d: tf.Tensor[]) => loss(xs.map((x, i) => (diff.includes(i) ? d[diff.indexOf(i)]! : x))));
      return gradsOf(diff.map((i) => xs[i]!)).map((g) => Float32Array.from(g.dataSync()));
    }),
  );
  const analytic = profile.result as unknown as Float32Array[];
  const h = c.h ?? 1e-2;
  let worst = 0;
  diff.forEach((inputIdx, k) => {
    const base = data[inputIdx] as Float32Array;
    for (let j = 0; j < base.length; j++) {
      const plus = data.map((a, i) => (i === inputIdx ? Float32Array.from(a as Float32Array) : a));
      const minus = data.map((a, i) => (i === inputIdx ? Float32Array.from(a as Float32Array) : a));
      (plus[inputIdx] as Float32Array)[j] = base[j]! + h;
      (minus[inputIdx] as Float32Array)[j] = base[j]! - h;
      const numeric = (lossAt(plus) - lossAt(minus)) / (2 * h);
      const a = analytic[k]![j]!;
      const d = Math.abs(numeric - a) / (atol + rtol * Math.abs(a));
      worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
    }
  });
  w.dispose();
  return { worst, kernelsRun: [...new Set(profile.kernels.map((k) => k.name))] };
}
