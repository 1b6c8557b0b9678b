import { cfKernels } from '../engine/cf/kernels.js';
import { addDiagonal } from '../engine/cf/gram.js';

/**
 * ALS fold-in: the user vector a new shopper's events imply, without
 * refitting (Hu, Koren and Volinsky 2008, eq. 4, solved for one user with
 * the item factors held fixed; the same step ALS takes for every user in a
 * half-sweep). With f = 64 and a history of n items it costs f² n / 2 +
 * f³ / 6 flops, well under a millisecond.
 */
export interface FoldInInput {
  /** Item factors, nItems x f, row-major. */
  itemFactors: Float32Array;
  /** YᵀY of those factors (f x f, without the ridge term), computed once per model. */
  yty: Float64Array;
  factors: number;
  regularization: number;
}

/**
 * x = (YᵀY + λI + Σ_i (c_i - 1) y_i y_iᵀ)⁻¹ Σ_i c_i y_i for the history's
 * items and confidences c_i (already transformed by the model's confidence
 * convention; items unique). Exact: a Cholesky solve, through the same
 * kernel as the exact ALS solver.
 */
export function foldIn(input: FoldInInput, items: Int32Array, confidences: Float32Array, out = new Float32Array(input.factors)): Float32Array {
  const f = input.factors;
  const a0 = Float64Array.from(input.yty);
  addDiagonal(a0, f, input.regularization);
  const indptr = Int32Array.of(0, items.length);
  cfKernels().alsExactSweep(indptr, items, confidences, out, input.itemFactors, a0, f, 0, 1);
  return out;
}
