import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { CsrMatrix } from '../../data/csr.js';
import { alsCgSweep } from './als-cg.js';
import { alsExactSweep } from './als-exact.js';
import { addDiagonal, gram } from './gram.js';

/** A random confidence CSR (rows x cols, values c in [1, 5]) and item factors. */
function problem(seed: number, rows: number, cols: number, f: number): { c: CsrMatrix; y: Float32Array; a0: Float64Array } {
  const rng = new Rng(seed);
  const r: number[] = [];
  const k: number[] = [];
  const v: number[] = [];
  for (let u = 0; u < rows; u++) {
    for (let i = 0; i < cols; i++) {
      if (u === 3 || !rng.bool(0.3)) continue; // row 3 stays empty
      r.push(u);
      k.push(i);
      v.push(rng.uniform(1, 5));
    }
  }
  const y = Float32Array.from({ length: cols * f }, () => rng.normal(0, 0.3));
  const a0 = new Float64Array(f * f);
  gram(y, f, 0, cols, a0);
  addDiagonal(a0, f, 0.1);
  return { c: CsrMatrix.fromCoo(rows, cols, r, k, v), y, a0 };
}

/** The normal equations written out densely: A_u x - b_u, for checking a solution. */
function residual(c: CsrMatrix, y: Float32Array, f: number, u: number, x: Float32Array, reg: number): number {
  let worst = 0;
  for (let a = 0; a < f; a++) {
    let ax = reg * x[u * f + a]!;
    let b = 0;
    for (let i = 0; i < c.nCols; i++) {
      const row = c.rowIndices(u);
      const pos = row.indexOf(i);
      const conf = pos >= 0 ? c.rowValues(u)[pos]! : 1;
      let dot = 0;
      for (let k = 0; k < f; k++) dot += y[i * f + k]! * x[u * f + k]!;
      ax += conf * y[i * f + a]! * dot;
      if (pos >= 0) b += conf * y[i * f + a]!;
    }
    worst = Math.max(worst, Math.abs(ax - b));
  }
  return worst;
}

describe('ALS half-sweep kernels', () => {
  const f = 6;
  const { c, y, a0 } = problem(3, 12, 20, f);

  it('exact solver satisfies the dense normal equations (Hu et al. eq. 4) and zeroes empty rows', () => {
    const x = new Float32Array(12 * f).fill(1);
    alsExactSweep(c.indptr, c.indices, c.data, x, y, a0, f, 0, 12);
    for (const u of [0, 5, 11]) expect(residual(c, y, f, u, x, 0.1)).toBeLessThan(1e-4);
    expect(Array.from(x.subarray(3 * f, 4 * f))).toEqual(new Array(f).fill(0));
  });

  it('conjugate gradient with f steps from zero converges to the exact solution', () => {
    const exact = new Float32Array(12 * f);
    alsExactSweep(c.indptr, c.indices, c.data, exact, y, a0, f, 0, 12);
    const cg = new Float32Array(12 * f);
    alsCgSweep(c.indptr, c.indices, c.data, cg, y, a0, f, 2 * f, 0, 12);
    for (let k = 0; k < cg.length; k++) expect(cg[k]).toBeCloseTo(exact[k]!, 4);
  });

  it('three warm-started steps move most of the way from a rough start', () => {
    const exact = new Float32Array(12 * f);
    alsExactSweep(c.indptr, c.indices, c.data, exact, y, a0, f, 0, 12);
    const x = exact.map((v, k) => v + 0.05 * Math.sin(k));
    const err = (z: Float32Array): number => z.reduce((s, v, k) => s + (v - exact[k]!) ** 2, 0);
    const before = err(x);
    alsCgSweep(c.indptr, c.indices, c.data, x, y, a0, f, 3, 0, 12);
    expect(err(x)).toBeLessThan(before * 0.1);
  });

  it('only touches the rows in [start, end)', () => {
    const x = new Float32Array(12 * f).fill(7);
    alsCgSweep(c.indptr, c.indices, c.data, x, y, a0, f, 3, 4, 8);
    expect(x[0]).toBe(7);
    expect(x[8 * f]).toBe(7);
    expect(x[4 * f]).not.toBe(7);
  });
});
