import { choleskyFactor, choleskySolve } from './cholesky.js';

/**
 * The reference solver: one half-sweep of implicit ALS solving each row's
 * normal equations exactly (Hu, Koren and Volinsky 2008, eq. 4),
 *   x_u = (YᵀY + λI + Σ_{i ∈ row u} (c_ui - 1) y_i y_iᵀ)⁻¹ Σ_{i ∈ row u} c_ui y_i,
 * by Cholesky (implicit/cpu/_als.pyx, _least_squares, uses LAPACK posv the
 * same way). Costs f² n_u / 2 + f³ / 6 per row, so it is the slow path, kept
 * to check the conjugate-gradient kernel against.
 *
 * Same arguments as alsCgSweep, minus cgSteps. Throws a RangeError if a
 * system is not positive definite (only possible with λ = 0).
 */
export function alsExactSweep(
  indptr: Int32Array,
  indices: Int32Array,
  conf: Float32Array,
  x: Float32Array,
  y: Float32Array,
  a0: Float64Array,
  f: number,
  start: number,
  end: number,
): void {
  const a = new Float64Array(f * f);
  const b = new Float64Array(f);
  for (let u = start; u < end; u++) {
    const lo = indptr[u]!;
    const hi = indptr[u + 1]!;
    const xo = u * f;
    if (lo === hi) {
      x.fill(0, xo, xo + f);
      continue;
    }
    a.set(a0);
    b.fill(0);
    accumulateRows(a, b, y, indices, conf, lo, hi, f);
    if (!choleskyFactor(a, f)) throw new RangeError(`ALS normal equations of row ${u} are not positive definite`);
    choleskySolve(a, f, b);
    for (let k = 0; k < f; k++) x[xo + k] = b[k]!;
  }
}

/**
 * a += Σ_j (c_j - 1) y_j y_jᵀ (lower triangle only, the part choleskyFactor
 * reads) and b += Σ_j c_j y_j over the stored entries j in [lo, hi) of a CSR
 * row (item indices[j], confidence conf[j]). Four rank-one terms per pass, so
 * each load and store of a[i, k] carries four multiply-adds.
 */
export function accumulateRows(
  a: Float64Array,
  b: Float64Array,
  y: Float32Array,
  indices: Int32Array,
  conf: Float32Array,
  lo: number,
  hi: number,
  f: number,
): void {
  let j = lo;
  for (; j + 3 < hi; j += 4) {
    const o0 = indices[j]! * f;
    const o1 = indices[j + 1]! * f;
    const o2 = indices[j + 2]! * f;
    const o3 = indices[j + 3]! * f;
    const c0 = conf[j]!;
    const c1 = conf[j + 1]!;
    const c2 = conf[j + 2]!;
    const c3 = conf[j + 3]!;
    for (let i = 0; i < f; i++) {
      const y0 = y[o0 + i]!;
      const y1 = y[o1 + i]!;
      const y2 = y[o2 + i]!;
      const y3 = y[o3 + i]!;
      b[i]! += c0 * y0 + c1 * y1 + c2 * y2 + c3 * y3;
      const t0 = (c0 - 1) * y0;
      const t1 = (c1 - 1) * y1;
      const t2 = (c2 - 1) * y2;
      const t3 = (c3 - 1) * y3;
      const row = i * f;
      for (let k = 0; k <= i; k++) a[row + k]! += t0 * y[o0 + k]! + t1 * y[o1 + k]! + t2 * y[o2 + k]! + t3 * y[o3 + k]!;
    }
  }
  for (; j < hi; j++) accumulateRow(a, b, y, indices[j]! * f, conf[j]!, f);
}

/** a += (c - 1) y yᵀ (lower triangle) and b += c y, for the one factor row of y starting at `yo`. */
export function accumulateRow(a: Float64Array, b: Float64Array, y: Float32Array, yo: number, c: number, f: number): void {
  const w = c - 1;
  for (let i = 0; i < f; i++) {
    const yi = y[yo + i]!;
    b[i]! += c * yi;
    const t = w * yi;
    if (t === 0) continue;
    const row = i * f;
    for (let k = 0; k <= i; k++) a[row + k]! += t * y[yo + k]!;
  }
}
