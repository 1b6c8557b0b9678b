import { kernelThreads, nativeKernels } from '../native.js';
import { alsCgSweep } from './als-cg.js';
import { bprSgdEpoch, type BprEpochStats } from './bpr-sgd.js';
import { gram } from './gram.js';
import { packPanels, panelLength, scoreRowsPacked } from './score.js';

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
  bprSgdEpoch(
    indptr: Int32Array, indices: Int32Array, userOfEntry: Int32Array, posEntry: Int32Array, negItem: Int32Array,
    x: Float32Array, y: Float32Array, f: number, lr: number, reg: number, verifyNegatives: boolean, start: number, end: number,
  ): BprEpochStats;
  pack(y: Float32Array, f: number, nItems: number): Packed;
  /** out[r*nItems + i] = x_{rows[r]} · y_i. */
  scoreRows(x: Float32Array, rows: Int32Array, packed: Packed, f: number, nItems: number, out: Float32Array): void;
}

export const JS_KERNELS: CfKernels = {
  name: 'js',
  threads: 1,
  gram,
  alsCgSweep,
  bprSgdEpoch,
  pack: (y, f, n) => ({ backend: 'js', data: packPanels(y, f, n, new Float32Array(panelLength(n, f))) }),
  scoreRows: (x, rows, packed, f, n, out) => scoreRowsPacked(x, rows, checkPacked(packed, 'js'), f, n, out),
};

function checkPacked(p: Packed, backend: CfKernels['name']): Float32Array {
  if (p.backend !== backend) throw new Error(`item factors were packed for the ${p.backend} kernels, not ${backend}`);
  return p.data;
}

function nativeCfKernels(): CfKernels | undefined {
  const nk = nativeKernels();
  if (nk === undefined) return undefined;
  const threads = kernelThreads();
  return {
    name: 'native',
    threads,
    gram: (x, f, start, end, out) => nk.gram(x, f, start, end, out, threads),
    alsCgSweep: (indptr, indices, conf, x, y, a0, f, steps, start, end) =>
      nk.alsCgSweep(indptr, indices, conf, x, y, a0, f, steps, start, end, threads),
    // One thread: Hogwild across threads would make BPR results vary from run to run.
    bprSgdEpoch: (indptr, indices, uoe, pos, neg, x, y, f, lr, reg, verify, start, end) =>
      nk.bprSgdEpoch(indptr, indices, uoe, pos, neg, x, y, f, lr, reg, verify, start, end, 1),
    pack: (y, f, n) => {
      const data = new Float32Array(Math.ceil(n / 16) * 16 * f);
      nk.packPanels(y, f, n, data);
      return { backend: 'native', data };
    },
    scoreRows: (x, rows, packed, f, n, out) => nk.scoreRows(x, rows, checkPacked(packed, 'native'), f, n, out, threads),
  };
}

let active: CfKernels | undefined;

/** The kernels to use: native when available (and not disabled by VITRINE_NATIVE=0), else JS. */
export function cfKernels(): CfKernels {
  active ??= nativeCfKernels() ?? JS_KERNELS;
  return active;
}

/** The native kernels, or undefined: for tests that compare both paths. */
export function nativeCfKernelsOrUndefined(): CfKernels | undefined {
  return nativeCfKernels();
}
