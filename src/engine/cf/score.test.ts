import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { packPanels, scoreRow, scoreRows, scoreRowsPacked } from './score.js';

function naive(x: Float32Array, rows: Int32Array, y: Float32Array, f: number, n: number): Float64Array {
  const out = new Float64Array(rows.length * n);
  rows.forEach((u, r) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < f; k++) s += x[u * f + k]! * y[i * f + k]!;
      out[r * n + i] = s;
    }
  });
  return out;
}

describe('batched scoring', () => {
  const rng = new Rng(4);
  it.each([
    [3, 7, 5],
    [8, 16, 4],
    [1, 1, 1],
    [65, 13, 6],
  ])('matches naive dot products (f=%i, items=%i, rows=%i), including panel remainders', (f, n, nRows) => {
    const nUsers = 9;
    const x = Float32Array.from({ length: nUsers * f }, () => rng.normal());
    const y = Float32Array.from({ length: n * f }, () => rng.normal());
    const rows = Int32Array.from({ length: nRows }, () => rng.int(nUsers));
    const want = naive(x, rows, y, f, n);
    const out = new Float32Array(nRows * n + 3).fill(42);
    scoreRowsPacked(x, rows, packPanels(y, f, n), f, n, out);
    for (let k = 0; k < want.length; k++) expect(out[k]).toBeCloseTo(want[k]!, 4);
    expect(out[nRows * n]).toBe(42); // nothing written past the block
    const out2 = new Float32Array(nRows * n);
    scoreRows(x, rows, y, f, n, out2);
    expect(out2).toEqual(out.subarray(0, nRows * n));
    const one = new Float32Array(n);
    scoreRow(x, rows[0]! * f, y, f, n, one);
    for (let i = 0; i < n; i++) expect(one[i]).toBeCloseTo(want[i]!, 4);
  });
});
