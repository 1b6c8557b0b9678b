import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail } from '../core/errors.js';

/**
 * The optional native addon (native/, built at install by
 * scripts/build-native.mjs). Every kernel in it has a plain TypeScript twin
 * that stays the reference; tests check that both agree.
 *
 * VITRINE_NATIVE=0 turns the addon off; VITRINE_REQUIRE_NATIVE=1 makes a
 * missing addon an error (CI sets it so the fast path is always tested).
 */
export interface NativeKernels {
  abiVersion: number;
  alsCgSweep(
    indptr: Int32Array, indices: Int32Array, conf: Float32Array, x: Float32Array, y: Float32Array,
    a0: Float64Array, f: number, cgSteps: number, start: number, end: number, threads: number,
  ): void;
  /** Exact (Cholesky) ALS rows; returns -1, or a row whose system was not positive definite. */
  alsExactSweep(
    indptr: Int32Array, indices: Int32Array, conf: Float32Array, x: Float32Array, y: Float32Array,
    a0: Float64Array, f: number, start: number, end: number, threads: number,
  ): number;
  gram(x: Float32Array, f: number, start: number, end: number, out: Float64Array, threads: number): void;
  bprSgdEpoch(
    indptr: Int32Array, indices: Int32Array, userOfEntry: Int32Array, posEntry: Int32Array, negItem: Int32Array,
    x: Float32Array, y: Float32Array, f: number, lr: number, reg: number, verifyNegatives: boolean,
    start: number, end: number, threads: number,
  ): { correct: number; skipped: number; loss: number };
  /** One VBPR SGD pass over triples (src/recommend/vbpr-sgd.ts's twin); rates = [lr, reg, biasReg, projectionReg]; returns Σ -ln σ(x_uij). */
  vbprSgdPass(
    gu: Float32Array, tu: Float32Array, gi: Float32Array, bi: Float32Array, e: Float32Array, bv: Float32Array, features: Float32Array,
    user: Int32Array, pos: Int32Array, neg: Int32Array, k: number, k2: number, f: number, rates: Float64Array,
  ): number;
  /** Packs y (nItems x f) into 16-item panels: `out` holds ceil(nItems/16)*16*f floats. */
  packPanels(y: Float32Array, f: number, nItems: number, out: Float32Array): void;
  scoreRows(x: Float32Array, rows: Int32Array, panels: Float32Array, f: number, nItems: number, out: Float32Array, threads: number): void;
  topKRows(
    x: Float32Array, rows: Int32Array, panels: Float32Array, f: number, nItems: number,
    seenIndptr: Int32Array | null, seenIndices: Int32Array | null, k: number,
    outItems: Int32Array, outScores: Float32Array, threads: number,
  ): void;
  /** out[r] = Σ_q data[q] · x[indices[q]] over row r of a CSR matrix (nRows rows); a column outside x throws. */
  csrMatVec(indptr: Int32Array, indices: Int32Array, data: Float32Array, x: Float32Array, nRows: number, out: Float32Array): void;
  /** Whether the tensor kernels below were built (a CBLAS was found at build time). */
  hasBlas: boolean;
  /**
   * Tensor kernels over CBLAS, working in place on `heap` (the tfjs wasm
   * backend's memory) at byte offsets; see native/src/tensor_api.c and
   * src/engine/native-tensor/. Present when hasBlas.
   */
  tensorMatMul?(heap: ArrayBuffer, aOff: number, bOff: number, cOff: number, biasOff: number, geom: Int32Array, act: number, alpha: number): void;
  conv2d?(heap: ArrayBuffer, xOff: number, wOff: number, yOff: number, biasOff: number, geom: Int32Array, act: number, alpha: number): void;
  conv2dBackpropInput?(heap: ArrayBuffer, dyOff: number, wOff: number, dxOff: number, geom: Int32Array): void;
  conv2dBackpropFilter?(heap: ArrayBuffer, xOff: number, dyOff: number, dwOff: number, geom: Int32Array): void;
  /** Sum over the leading rows (leading 1: out[cols]) or within each row (leading 0: out[rows]). */
  tensorSum?(heap: ArrayBuffer, xOff: number, outOff: number, rows: number, cols: number, leading: number): void;
  tensorLeakyRelu?(heap: ArrayBuffer, xOff: number, yOff: number, n: number, alpha: number): void;
  tensorLeakyReluGrad?(heap: ArrayBuffer, dyOff: number, xOff: number, dxOff: number, n: number, alpha: number): void;
  /** One fused Adam step; params = [lr, beta1, beta2, eps, 1/(1-beta1^t), 1/(1-beta2^t)]. */
  tensorAdam?(heap: ArrayBuffer, xOff: number, mOff: number, vOff: number, gOff: number, xOut: number, mOut: number, vOut: number, n: number, params: Float32Array): void;
  setBlasThreads?(threads: number): void;
  blasInfo?(): { threads: number; config: string };
}

export interface NativeStatus {
  loaded: boolean;
  path: string;
  /** Why it is not loaded (off by VITRINE_NATIVE=0, not built, failed to load). */
  reason?: string;
}

const EXPECTED_ABI = 6;

let cached: { kernels: NativeKernels | undefined; status: NativeStatus } | undefined;

/** The package root: the nearest folder above this file whose package.json is vitrine's. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'vitrine') return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

function load(): { kernels: NativeKernels | undefined; status: NativeStatus } {
  const path = join(packageRoot(), 'native', 'build', 'Release', 'vitrine_native.node');
  if (process.env.VITRINE_NATIVE === '0') return { kernels: undefined, status: { loaded: false, path, reason: 'disabled by VITRINE_NATIVE=0' } };
  if (!existsSync(path)) {
    return { kernels: undefined, status: { loaded: false, path, reason: 'not built (run `npm run build:native`; needs g++ and make)' } };
  }
  try {
    const kernels = createRequire(import.meta.url)(path) as NativeKernels;
    if (kernels.abiVersion !== EXPECTED_ABI) {
      return { kernels: undefined, status: { loaded: false, path, reason: `stale build (abi ${kernels.abiVersion}, expected ${EXPECTED_ABI}); run \`npm run build:native\`` } };
    }
    return { kernels, status: { loaded: true, path } };
  } catch (e) {
    return { kernels: undefined, status: { loaded: false, path, reason: `failed to load: ${(e as Error).message}` } };
  }
}

/** The native kernels, or undefined when unavailable (then the JS kernels run). */
export function nativeKernels(): NativeKernels | undefined {
  cached ??= load();
  if (cached.kernels === undefined && process.env.VITRINE_REQUIRE_NATIVE === '1' && process.env.VITRINE_NATIVE !== '0') {
    fail('UNSUPPORTED', `native kernels required (VITRINE_REQUIRE_NATIVE=1) but ${cached.status.reason ?? 'unavailable'}`);
  }
  return cached.kernels;
}

export function nativeStatus(): NativeStatus {
  cached ??= load();
  return cached.status;
}

/** Threads the native kernels use: VITRINE_THREADS, else every core (at most 16). */
export function kernelThreads(): number {
  const n = Number(process.env.VITRINE_THREADS);
  return Number.isInteger(n) && n > 0 ? n : Math.min(availableParallelism(), 16);
}
