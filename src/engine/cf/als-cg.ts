import { addWeightedRows, dot64At, matVec, rowDots } from './vec.js';

/**
 * One half-sweep of implicit ALS with the conjugate-gradient solver
 * (Takács, Pilászy and Tikk 2011, "Applications of the conjugate gradient
 * method for implicit feedback collaborative filtering"), as benfred/implicit
 * 0.7.3 runs it (implicit/cpu/_als.pyx, _least_squares_cg).
 *
 * For every row u in [start, end) it takes `cgSteps` CG steps on
 *   A_u x_u = b_u,  A_u = YᵀY + λI + Σ_{i ∈ row u} (c_ui - 1) y_i y_iᵀ,
 *                   b_u = Σ_{i ∈ row u} c_ui y_i
 * (Hu, Koren and Volinsky 2008, eq. 4 with p_ui = 1 on stored entries and
 * confidence 1 elsewhere), warm-started from the current x_u. A_u is never
 * formed: A_u p = (YᵀY + λI) p + Σ (c_ui - 1)(y_i·p) y_i costs f² + 2 f n_u.
 * Rows with no entries get x_u = 0, as implicit does. y is copied to doubles
 * once per call, so the inner loops read no float32.
 *
 * Shapes: x rows x f and y cols x f (row-major Float32Array); indptr/indices
 * /conf the CSR of confidences c_ui; a0 = YᵀY + λI (f x f, Float64Array).
 * Rows are independent, so [start, end) ranges can run on separate workers.
 */
export function alsCgSweep(
  indptr: Int32Array,
  indices: Int32Array,
  conf: Float32Array,
  x: Float32Array,
  y: Float32Array,
  a0: Float64Array,
  f: number,
  cgSteps: number,
  start: number,
  end: number,
): void {
  let maxN = 0;
  for (let u = start; u < end; u++) maxN = Math.max(maxN, indptr[u + 1]! - indptr[u]!);
  const y64 = Float64Array.from(y);
  const d = new Float64Array(maxN); // y_i · v per stored entry
  const w = new Float64Array(maxN); // per-entry weights of the rank-one terms
  const xs = new Float64Array(f);
  const r = new Float64Array(f);
  const p = new Float64Array(f);
  const ap = new Float64Array(f);
  for (let u = start; u < end; u++) {
    const lo = indptr[u]!;
    const n = indptr[u + 1]! - lo;
    const xo = u * f;
    if (n === 0) {
      x.fill(0, xo, xo + f);
      continue;
    }
    for (let k = 0; k < f; k++) xs[k] = x[xo + k]!;
    // r = b - A x = -a0 x + Σ (c - (c - 1) y_i·x) y_i
    matVec(a0, xs, f, -1, r);
    rowDots(y64, indices, lo, n, f, xs, d);
    for (let j = 0; j < n; j++) {
      const c = conf[lo + j]!;
      w[j] = c - (c - 1) * d[j]!;
    }
    addWeightedRows(y64, indices, lo, n, f, w, r);
    p.set(r);
    let rsOld = dot64At(r, 0, r, f);
    if (rsOld < 1e-20) continue;
    for (let it = 0; it < cgSteps; it++) {
      // Ap = a0 p + Σ (c - 1)(y_i·p) y_i, without forming A
      matVec(a0, p, f, 1, ap);
      rowDots(y64, indices, lo, n, f, p, d);
      for (let j = 0; j < n; j++) w[j] = (conf[lo + j]! - 1) * d[j]!;
      addWeightedRows(y64, indices, lo, n, f, w, ap);
      const alpha = rsOld / dot64At(p, 0, ap, f);
      for (let k = 0; k < f; k++) {
        xs[k]! += alpha * p[k]!;
        r[k]! -= alpha * ap[k]!;
      }
      const rsNew = dot64At(r, 0, r, f);
      if (rsNew < 1e-20) break;
      const beta = rsNew / rsOld;
      for (let k = 0; k < f; k++) p[k] = r[k]! + beta * p[k]!;
      rsOld = rsNew;
    }
    for (let k = 0; k < f; k++) x[xo + k] = xs[k]!;
  }
}
