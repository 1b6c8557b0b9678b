import type { CsrMatrix } from '../data/csr.js';
import { cfKernels, type Packed } from '../engine/cf/kernels.js';

/**
 * Batched scoring shared by the matrix-factorisation models (ALS, BPR):
 * scores = X[rows] Yᵀ through the active CF kernels, with the item factors
 * packed once per backend and cached on the model state.
 */
export interface FactorState {
  /** User factors, nUsers x d. */
  x: Float32Array;
  /** Item factors, nItems x d. */
  y: Float32Array;
  nItems: number;
  /** Item factors packed for the kernels (cached). */
  panels?: Packed;
}

function packed(s: FactorState, d: number): Packed {
  const k = cfKernels();
  if (s.panels?.backend !== k.name) s.panels = k.pack(s.y, d, s.nItems);
  return s.panels;
}

/** out[r*nItems + i] = x_{rows[r]} · y_i (d factors per row). */
export function scoreFactorRows(s: FactorState, rows: Int32Array, d: number, out: Float32Array): void {
  cfKernels().scoreRows(s.x, rows, packed(s, d), d, s.nItems, out);
}

/** The fused top-k of cfKernels().topKRows: rows x k, best first, padded with -1 / -Infinity. */
export function topKFactorRows(s: FactorState, rows: Int32Array, d: number, k: number, seen?: CsrMatrix): { items: Int32Array; scores: Float32Array } {
  const items = new Int32Array(rows.length * k);
  const scores = new Float32Array(rows.length * k);
  cfKernels().topKRows(s.x, rows, packed(s, d), d, s.nItems, seen, k, items, scores);
  return { items, scores };
}
