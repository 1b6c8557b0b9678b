/**
 * One epoch of Bayesian Personalized Ranking by stochastic gradient ascent
 * (Rendle, Freudenthaler, Gantner and Schmidt-Thieme 2009, algorithm
 * LearnBPR), as benfred/implicit 0.7.3 runs it (implicit/cpu/bpr.pyx,
 * bpr_update): x_uij = x_u·(y_i - y_j) over f factors plus an item bias kept
 * in column f, whose user-side factor is fixed at 1; for each sample
 *   z = 1 / (1 + exp(x_uij)) = 1 - σ(x_uij)
 *   x_u += lr (z (y_i - y_j) - reg x_u)
 *   y_i += lr (z x_u - reg y_i),   y_j += lr (-z x_u - reg y_j)
 *   b_i += lr (z - reg b_i),       b_j += lr (-z - reg b_j)
 *
 * Pure kernel: the caller draws the samples (a seeded Rng), so the kernel is
 * deterministic and can be replaced by a SIMD/native one or split into
 * [start, end) sample ranges across workers (Hogwild, as implicit does).
 */

/** The loss is summed over sample indices divisible by this (see BprEpochStats.loss). */
export const LOSS_STRIDE = 8;

export interface BprEpochStats {
  /** Samples whose pair was already ordered correctly (x_uij > 0). */
  correct: number;
  /** Samples skipped because the drawn negative is one of the user's positives. */
  skipped: number;
  /**
   * Σ -ln σ(x_uij) over the samples used, estimated from every LOSS_STRIDE-th
   * sample index (times LOSS_STRIDE): the logarithm would otherwise cost a
   * third of the native kernel's time, and the loss only monitors training.
   */
  loss: number;
}

/**
 * Runs samples s in [start, end): the positive is the stored entry
 * posEntry[s] of the user x item CSR (its user is userOfEntry[posEntry[s]],
 * its item indices[posEntry[s]]) and the negative item is negItem[s].
 * x is users x (f + 1) and y items x (f + 1), row-major; x[u, f] must be 1.
 * When verifyNegatives is set, a negative the user has interacted with is
 * skipped (binary search in the user's sorted row), as implicit does.
 */
export function bprSgdEpoch(
  indptr: Int32Array,
  indices: Int32Array,
  userOfEntry: Int32Array,
  posEntry: Int32Array,
  negItem: Int32Array,
  x: Float32Array,
  y: Float32Array,
  f: number,
  lr: number,
  reg: number,
  verifyNegatives: boolean,
  start: number,
  end: number,
): BprEpochStats {
  const stride = f + 1;
  let correct = 0;
  let skipped = 0;
  let loss = 0;
  for (let s = start; s < end; s++) {
    const e = posEntry[s]!;
    const u = userOfEntry[e]!;
    const i = indices[e]!;
    const j = negItem[s]!;
    if (verifyNegatives && rowHas(indices, indptr[u]!, indptr[u + 1]!, j)) {
      skipped++;
      continue;
    }
    const xo = u * stride;
    const io = i * stride;
    const jo = j * stride;
    const score = diffDot(x, xo, y, io, jo, stride);
    const z = 1 / (1 + Math.exp(score));
    if (z < 0.5) correct++;
    if (s % LOSS_STRIDE === 0) loss += LOSS_STRIDE * Math.log1p(Math.exp(-score));
    updateFactors(x, xo, y, io, jo, f, lr, reg, z);
    y[io + f] = y[io + f]! + lr * (z - reg * y[io + f]!);
    y[jo + f] = y[jo + f]! + lr * (-z - reg * y[jo + f]!);
  }
  return { correct, skipped, loss };
}

/** x_u · (y_i - y_j) over n columns, four accumulators. */
function diffDot(x: Float32Array, xo: number, y: Float32Array, io: number, jo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += x[xo + k]! * (y[io + k]! - y[jo + k]!);
    s1 += x[xo + k + 1]! * (y[io + k + 1]! - y[jo + k + 1]!);
    s2 += x[xo + k + 2]! * (y[io + k + 2]! - y[jo + k + 2]!);
    s3 += x[xo + k + 3]! * (y[io + k + 3]! - y[jo + k + 3]!);
  }
  for (; k < n; k++) s0 += x[xo + k]! * (y[io + k]! - y[jo + k]!);
  return s0 + s1 + s2 + s3;
}

/** The SGD step on x_u, y_i, y_j (first f columns), from the old values of all three. */
function updateFactors(x: Float32Array, xo: number, y: Float32Array, io: number, jo: number, f: number, lr: number, reg: number, z: number): void {
  const a = 1 - lr * reg;
  const lz = lr * z;
  for (let k = 0; k < f; k++) {
    const xu = x[xo + k]!;
    const yi = y[io + k]!;
    const yj = y[jo + k]!;
    x[xo + k] = a * xu + lz * (yi - yj);
    y[io + k] = a * yi + lz * xu;
    y[jo + k] = a * yj - lz * xu;
  }
}

/** Whether the sorted slice indices[lo, hi) contains `col`. */
function rowHas(indices: Int32Array, lo: number, hi: number, col: number): boolean {
  let a = lo;
  let b = hi - 1;
  while (a <= b) {
    const m = (a + b) >> 1;
    const v = indices[m]!;
    if (v === col) return true;
    if (v < col) a = m + 1;
    else b = m - 1;
  }
  return false;
}
