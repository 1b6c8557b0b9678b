/**
 * Gram matrix of a block of factor rows: the YᵀY term of implicit ALS
 * (Hu, Koren and Volinsky 2008, section 4: "YᵀY is independent of u", so it
 * is computed once per half-sweep and shared by every row's solve).
 *
 * Pure kernel over typed arrays, replaceable by a SIMD or native version with
 * the same signature.
 */

/**
 * out (f x f, row-major, full symmetric) = Σ_{r ∈ [start, end)} x_r x_rᵀ,
 * where x is row-major with `f` columns. Overwrites `out`. Accumulates in
 * double precision; splitting rows across workers means summing their outs.
 */
export function gram(x: Float32Array, f: number, start: number, end: number, out: Float64Array): void {
  out.fill(0, 0, f * f);
  let r = start;
  // Four rows per pass: each load/store of out[a, b] carries four multiply-adds.
  for (; r + 3 < end; r += 4) {
    const o0 = r * f;
    const o1 = o0 + f;
    const o2 = o1 + f;
    const o3 = o2 + f;
    for (let a = 0; a < f; a++) {
      const x0 = x[o0 + a]!;
      const x1 = x[o1 + a]!;
      const x2 = x[o2 + a]!;
      const x3 = x[o3 + a]!;
      const row = a * f;
      for (let b = a; b < f; b++) out[row + b]! += x0 * x[o0 + b]! + x1 * x[o1 + b]! + x2 * x[o2 + b]! + x3 * x[o3 + b]!;
    }
  }
  for (; r < end; r++) {
    const o = r * f;
    for (let a = 0; a < f; a++) {
      const xa = x[o + a]!;
      const row = a * f;
      for (let b = a; b < f; b++) out[row + b]! += xa * x[o + b]!;
    }
  }
  // Mirror the upper triangle so callers can read the full matrix.
  for (let a = 0; a < f; a++) {
    for (let b = a + 1; b < f; b++) out[b * f + a] = out[a * f + b]!;
  }
}

/** Adds `lambda` to the diagonal of the f x f matrix `a` in place (ridge term λI). */
export function addDiagonal(a: Float64Array, f: number, lambda: number): void {
  for (let k = 0; k < f; k++) a[k * f + k]! += lambda;
}
