import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { choleskyFactor, choleskySolve } from './cholesky.js';

/** A random symmetric positive definite f x f matrix: M Mᵀ + f I. */
function spd(rng: Rng, f: number): Float64Array {
  const m = Float64Array.from({ length: f * f }, () => rng.normal());
  const a = new Float64Array(f * f);
  for (let i = 0; i < f; i++) {
    for (let j = 0; j < f; j++) {
      let s = i === j ? f : 0;
      for (let k = 0; k < f; k++) s += m[i * f + k]! * m[j * f + k]!;
      a[i * f + j] = s;
    }
  }
  return a;
}

describe('cholesky', () => {
  it('solves A x = b for a symmetric positive definite A', () => {
    const rng = new Rng(1);
    for (const f of [1, 3, 17, 64]) {
      const a = spd(rng, f);
      const b = Float64Array.from({ length: f }, () => rng.normal());
      const l = a.slice();
      expect(choleskyFactor(l, f)).toBe(true);
      const x = b.slice();
      choleskySolve(l, f, x);
      for (let i = 0; i < f; i++) {
        let s = 0;
        for (let k = 0; k < f; k++) s += a[i * f + k]! * x[k]!;
        expect(s).toBeCloseTo(b[i]!, 8);
      }
    }
  });

  it('reports a matrix that is not positive definite', () => {
    expect(choleskyFactor(Float64Array.of(1, 2, 2, 1), 2)).toBe(false);
    expect(choleskyFactor(Float64Array.of(0), 1)).toBe(false);
  });
});
