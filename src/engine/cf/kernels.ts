import { fail } from '../../core/errors.js';
import { kernelThreads, nativeKernels, nativeStatus } from '../native.js';
import { alsCgSweep } from './als-cg.js';
import { alsExactSweep } from './als-exact.js';
import { bprSgdEpoch, type BprEpochStats } from './bpr-sgd.js';
import { gram } from './gram.js';
import type { CsrMatrix } from '../../data/csr.js';
import { packPanels, panelLength, scoreRowsPacked } from './score.js';
import { csrMatVec } from './sparse.js';
import { vbprSgdPass, type VbprDims, type VbprParams, type VbprRates, type VbprTriples } from './vbpr-sgd.js';
import { selectTopK, TopKHeap } from './select.js';

/**
 * The CF hot loops behind one object: the native addon's kernels when it is
 * built (C with SIMD, rows split over threads), else the plain TypeScript
 * kernels of this folder, which stay the reference. Same signatures, same
 * math; float rounding differs (the native path accumulates in float32).
 *
 * `Packed` item factors are opaque: each backend packs them its own way, and
 * a model caches them together with the backend name.
 */
export interface Packed {
  backend: CfKernels['name'];
  data: Float32Array;
}

export interface CfKernels {
  name: 'native' | 'js';
  threads: number;
  gram(x: Float32Array, f: number, start: number, end: number, out: Float64Array): void;
  alsCgSweep(
    indptr: Int32Array, indices: Int32Array, conf: Float32Array, x: Float32Array, y: Float32Array,
    a0: Float64Array, f: number, cgSteps: number, start: number, end: number,
  ): void;
  /** Exact Cholesky rows (the reference solver, and fold-in); RangeError when a system is not positive definite. */
  alsExactSweep(
    indptr: Int32Array, indices: Int32Array, conf: Float32Array, x: Float32Array, y: Float32Array,
    a0: Float64Array, f: number, start: number, end: number,
  ): void;
  bprSgdEpoch(
    indptr: Int32Array, indices: Int32Array, userOfEntry: Int32Array, posEntry: Int32Array, negItem: Int32Array,
    x: Float32Array, y: Float32Array, f: number, lr: number, reg: number, verifyNegatives: boolean, start: number, end: number,
  ): BprEpochStats;
  /** One VBPR SGD pass over the triples (vbpr-sgd.ts); returns Σ -ln σ(x_uij). One thread: deterministic. */
  vbprSgdPass(p: VbprParams, features: Float32Array, t: VbprTriples, dims: VbprDims, rates: VbprRates): number;
  pack(y: Float32Array, f: number, nItems: number): Packed;
  /** out[r*nItems + i] = x_{rows[r]} · y_i. */
  scoreRows(x: Float32Array, rows: Int32Array, packed: Packed, f: number, nItems: number, out: Float32Array): void;
  /**
   * The k best items per row r of x_{rows[r]} · y_i, with row rows[r] of
   * `seen` removed: best first, ties to the lower index; short rows are
   * padded with item -1 and score -Infinity. outItems/outScores hold rows.length * k.
   */
  topKRows(
    x: Float32Array, rows: Int32Array, packed: Packed, f: number, nItems: number,
    seen: CsrMatrix | undefined, k: number, outItems: Int32Array, outScores: Float32Array,
  ): void;
  /** out[r] = Σ_q data[q] · x[indices[q]] over rows 0..nRows-1 of a CSR matrix (one thread); a column outside x throws RangeError. */
  csrMatVec(indptr: Int32Array, indices: Int32Array, data: Float32Array, x: Float32Array, nRows: number, out: Float32Array): void;
}

export const JS_KERNELS: CfKernels = {
  name: 'js',
  threads: 1,
  gram,
  alsCgSweep,
  alsExactSweep,
  bprSgdEpoch,
  vbprSgdPass,
  pack: (y, f, n) => ({ backend: 'js', data: packPanels(y, f, n, new Float32Array(panelLength(n, f))) }),
  scoreRows: (x, rows, packed, f, n, out) => scoreRowsPacked(x, rows, checkPacked(packed, 'js'), f, n, out),
  topKRows: jsTopKRows,
  csrMatVec,
};

/** The reference top-k: score blocks of rows, mask seen items with -Infinity, select with a bounded heap. */
function jsTopKRows(
  x: Float32Array, rows: Int32Array, packed: Packed, f: number, nItems: number,
  seen: CsrMatrix | undefined, k: number, outItems: Int32Array, outScores: Float32Array,
): void {
  outItems.fill(-1, 0, rows.length * k);
  outScores.fill(-Infinity, 0, rows.length * k);
  const block = Math.max(1, Math.min(64, Math.floor((1 << 22) / Math.max(nItems, 1))));
  const buf = new Float32Array(block * nItems);
  const heap = new TopKHeap(k);
  for (let b = 0; b < rows.length; b += block) {
    const users = rows.subarray(b, Math.min(rows.length, b + block));
    scoreRowsPacked(x, users, checkPacked(packed, 'js'), f, nItems, buf);
    for (let r = 0; r < users.length; r++) {
      const u = users[r]!;
      const off = r * nItems;
      if (seen !== undefined && u < seen.nRows) {
        for (let p = seen.indptr[u]!; p < seen.indptr[u + 1]!; p++) buf[off + seen.indices[p]!] = -Infinity;
      }
      selectTopK(buf, off, nItems, heap, outItems, outScores, (b + r) * k);
    }
  }
}

function checkPacked(p: Packed, backend: CfKernels['name']): Float32Array {
  if (p.backend !== backend) throw new Error(`item factors were packed for the ${p.backend} kernels, not ${backend}`);
  return p.data;
}

function nativeCfKernels(threads = kernelThreads()): CfKernels | undefined {
  const nk = nativeKernels();
  if (nk === undefined) return undefined;
  return {
    name: 'native',
    threads,
    gram: (x, f, start, end, out) => nk.gram(x, f, start, end, out, threads),
    alsCgSweep: (indptr, indices, conf, x, y, a0, f, steps, start, end) =>
      nk.alsCgSweep(indptr, indices, conf, x, y, a0, f, steps, start, end, threads),
    alsExactSweep: (indptr, indices, conf, x, y, a0, f, start, end) => {
      // A single row (fold-in) runs inline: starting a thread would cost more than the solve.
      const bad = nk.alsExactSweep(indptr, indices, conf, x, y, a0, f, start, end, end - start > 1 ? threads : 1);
      if (bad >= 0) throw new RangeError(`ALS normal equations of row ${bad} are not positive definite`);
    },
    // One thread: Hogwild across threads would make BPR results vary from run to run.
    bprSgdEpoch: (indptr, indices, uoe, pos, neg, x, y, f, lr, reg, verify, start, end) =>
      nk.bprSgdEpoch(indptr, indices, uoe, pos, neg, x, y, f, lr, reg, verify, start, end, 1),
    vbprSgdPass: (p, features, t, { k, k2, f }, r) =>
      nk.vbprSgdPass(p.gu, p.tu, p.gi, p.bi, p.e, p.bv, features, t.user, t.pos, t.neg, k, k2, f, Float64Array.of(r.lr, r.reg, r.biasReg, r.projectionReg)),
    pack: (y, f, n) => {
      const data = new Float32Array(Math.ceil(n / 16) * 16 * f);
      nk.packPanels(y, f, n, data);
      return { backend: 'native', data };
    },
    scoreRows: (x, rows, packed, f, n, out) => nk.scoreRows(x, rows, checkPacked(packed, 'native'), f, n, out, threads),
    topKRows: (x, rows, packed, f, n, seen, k, outItems, outScores) =>
      nk.topKRows(x, rows, checkPacked(packed, 'native'), f, n, seen?.indptr ?? null, seen?.indices ?? null, k, outItems, outScores, threads),
    csrMatVec: (indptr, indices, data, x, nRows, out) => nk.csrMatVec(indptr, indices, data, x, nRows, out),
  };
}

let active: CfKernels | undefined;

/** The kernels to use: native when available (and not disabled by VITRINE_NATIVE=0), else JS. */
export function cfKernels(): CfKernels {
  active ??= nativeCfKernels() ?? JS_KERNELS;
  return active;
}

/**
 * Chooses the backend and thread count from now on (benchmarks compare 1
 * against 2 threads, native against JS). Throws UNSUPPORTED when native is
 * asked for and not built.
 */
export function configureCfKernels(opts: { backend?: CfKernels['name']; threads?: number }): CfKernels {
  if (opts.backend === 'js') {
    active = JS_KERNELS;
    return active;
  }
  const native = nativeCfKernels(opts.threads);
  if (native === undefined && opts.backend === 'native') fail('UNSUPPORTED', `native kernels unavailable: ${nativeStatus().reason ?? 'not built'}`);
  active = native ?? JS_KERNELS;
  return active;
}

/** The native kernels, or undefined: for tests that compare both paths. */
export function nativeCfKernelsOrUndefined(): CfKernels | undefined {
  return nativeCfKernels();
}
