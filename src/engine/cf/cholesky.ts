/**
 * Dense Cholesky factorisation and solve for small symmetric positive
 * definite systems (f x f, f ≈ 16..256): the exact ALS solver and fold-in.
 * Row-major Float64Array; pure kernels, replaceable behind the same signatures.
 */

/**
 * Factors `a` (f x f, row-major, symmetric positive definite) in place into
 * its lower-triangular Cholesky factor L (a = L Lᵀ); only the lower triangle
 * is read and written. Returns false when `a` is not positive definite.
 */
export function choleskyFactor(a: Float64Array, f: number): boolean {
  for (let j = 0; j < f; j++) {
    const rj = j * f;
    let d = a[rj + j]!;
    for (let k = 0; k < j; k++) d -= a[rj + k]! * a[rj + k]!;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < f; i++) {
      const ri = i * f;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = s * inv;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place (b becomes x), given the factor from choleskyFactor. */
export function choleskySolve(l: Float64Array, f: number, b: Float64Array): void {
  // Forward substitution: L z = b.
  for (let i = 0; i < f; i++) {
    const ri = i * f;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * b[k]!;
    b[i] = s / l[ri + i]!;
  }
  // Back substitution: Lᵀ x = z.
  for (let i = f - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < f; k++) s -= l[k * f + i]! * b[k]!;
    b[i] = s / l[i * f + i]!;
  }
}
