import { describe, expect, it } from 'vitest';
import { bprSgdEpoch, LOSS_STRIDE } from './bpr-sgd.js';

describe('BPR SGD epoch', () => {
  // Two users, three items; user 0 has items {0, 1}, user 1 has item {2}.
  const indptr = Int32Array.of(0, 2, 3);
  const indices = Int32Array.of(0, 1, 2);
  const userOfEntry = Int32Array.of(0, 0, 1);
  const f = 2;

  it('applies the LearnBPR update with the item bias in the last column', () => {
    const x = Float32Array.of(0.1, 0.2, 1, 0.3, -0.1, 1);
    const y = Float32Array.of(0.5, 0.1, 0.2, -0.2, 0.4, 0, 0.3, 0.3, -0.1);
    const x0 = x.slice();
    const y0 = y.slice();
    const lr = 0.1;
    const reg = 0.01;
    // One sample: entry 0 (user 0, item 0) against item 2.
    const st = bprSgdEpoch(indptr, indices, userOfEntry, Int32Array.of(0), Int32Array.of(2), x, y, f, lr, reg, true, 0, 1);
    const score = x0[0]! * (y0[0]! - y0[6]!) + x0[1]! * (y0[1]! - y0[7]!) + 1 * (y0[2]! - y0[8]!);
    const z = 1 / (1 + Math.exp(score));
    expect(st).toMatchObject({ skipped: 0, correct: score > 0 ? 1 : 0 });
    // Sample index 0 is one of the every-LOSS_STRIDE-th samples the loss estimate sums.
    expect(st.loss).toBeCloseTo(LOSS_STRIDE * Math.log(1 + Math.exp(-score)), 5);
    for (let k = 0; k < f; k++) {
      expect(x[k]).toBeCloseTo(x0[k]! + lr * (z * (y0[k]! - y0[6 + k]!) - reg * x0[k]!), 6);
      expect(y[k]).toBeCloseTo(y0[k]! + lr * (z * x0[k]! - reg * y0[k]!), 6);
      expect(y[6 + k]).toBeCloseTo(y0[6 + k]! + lr * (-z * x0[k]! - reg * y0[6 + k]!), 6);
    }
    expect(y[2]).toBeCloseTo(y0[2]! + lr * (z - reg * y0[2]!), 6);
    expect(y[8]).toBeCloseTo(y0[8]! + lr * (-z - reg * y0[8]!), 6);
    expect(x[2]).toBe(1); // the user side of the bias stays 1
    expect(Array.from(x.subarray(3))).toEqual(Array.from(x0.subarray(3))); // user 1 untouched
  });

  it('skips a negative the user has interacted with when verifying', () => {
    const x = new Float32Array(6).fill(0.1);
    const y = new Float32Array(9).fill(0.1);
    const st = bprSgdEpoch(indptr, indices, userOfEntry, Int32Array.of(0, 1), Int32Array.of(1, 0), x, y, f, 0.1, 0, true, 0, 2);
    expect(st.skipped).toBe(2);
    expect(Array.from(y)).toEqual(new Array(9).fill(Math.fround(0.1)));
    const st2 = bprSgdEpoch(indptr, indices, userOfEntry, Int32Array.of(0, 1), Int32Array.of(1, 0), x, y, f, 0.1, 0, false, 0, 2);
    expect(st2.skipped).toBe(0);
  });
});
