import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { addDiagonal, gram } from './gram.js';

describe('gram', () => {
  it('equals the naive XᵀX over a row range and overwrites its output', () => {
    const rng = new Rng(2);
    const f = 5;
    const n = 9;
    const x = Float32Array.from({ length: n * f }, () => rng.normal());
    const out = new Float64Array(f * f).fill(99);
    gram(x, f, 2, 7, out);
    for (let a = 0; a < f; a++) {
      for (let b = 0; b < f; b++) {
        let s = 0;
        for (let r = 2; r < 7; r++) s += x[r * f + a]! * x[r * f + b]!;
        expect(out[a * f + b]).toBeCloseTo(s, 5);
      }
    }
    addDiagonal(out, f, 0.5);
    let d = 0;
    for (let r = 2; r < 7; r++) d += x[r * f]! ** 2;
    expect(out[0]).toBeCloseTo(d + 0.5, 5);
  });
});
