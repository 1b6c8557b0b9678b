import { cfKernels } from './cf/kernels.js';
import { engineInfo, initEngine, type EngineInfo, type EngineOptions } from './engine.js';
import { nativeKernels, nativeStatus } from './native.js';
import { nativeTensorKernelsOn, setNativeTensorKernels } from './native-tensor/register.js';
import { tf } from './tf.js';

/**
 * The facts `vitrine doctor` prints: which tensor backend runs, whether the
 * native kernels (CF and tensor) are in use and why not, threads, and a
 * matmul GFLOPS figure on the active backend and on plain wasm. Library
 * code: it returns the facts and never prints.
 */

export interface MatmulFigure {
  backend: string;
  size: number;
  runs: number;
  seconds: number;
  gflops: number;
}

export interface DoctorReport {
  engine: EngineInfo;
  addon: { loaded: boolean; path: string; hasBlas: boolean; reason?: string };
  cf: { kernels: 'native' | 'js'; threads: number };
  /** Matmul on the active backend (native kernels when in use). */
  matmul: MatmulFigure;
  /** The same on plain wasm, when the native kernels are in use. */
  wasmMatmul?: MatmulFigure;
}

export interface DoctorOptions extends EngineOptions {
  /** Seconds per matmul figure (default 2). */
  seconds?: number;
  /** Matrix side (default 512). */
  size?: number;
}

/**
 * Multiplies two size x size matrices for about `seconds`; 2·size³ flops
 * each. The wasm and cpu backends compute synchronously, so disposing the
 * product is enough (no read-back copy inside the timing).
 */
export function measureMatmul(size: number, seconds: number, label: string): MatmulFigure {
  const a = tf.randomUniform([size, size], -1, 1, 'float32', 1);
  const b = tf.randomUniform([size, size], -1, 1, 'float32', 2);
  try {
    tf.tidy(() => tf.matMul(a, b).dataSync());
    let runs = 0;
    const t0 = performance.now();
    let elapsed = 0;
    do {
      tf.matMul(a, b).dispose();
      runs++;
      elapsed = (performance.now() - t0) / 1000;
    } while (elapsed < seconds);
    return { backend: label, size, runs, seconds: elapsed, gflops: (2 * size ** 3 * runs) / elapsed / 1e9 };
  } finally {
    a.dispose();
    b.dispose();
  }
}

/** Sets the engine up as `opts` says and measures it. */
export async function runDoctor(opts: DoctorOptions = {}): Promise<DoctorReport> {
  await initEngine(opts);
  const engine = engineInfo();
  const seconds = opts.seconds ?? 2;
  const size = opts.size ?? 512;
  const status = nativeStatus();
  const k = status.loaded ? nativeKernels() : undefined;
  const cf = cfKernels();
  const label = engine.native ? `native BLAS (${engine.threads} thread${engine.threads === 1 ? '' : 's'})` : engine.backend;
  const report: DoctorReport = {
    engine,
    addon: { loaded: status.loaded, path: status.path, hasBlas: k?.hasBlas === true, ...(status.reason === undefined ? {} : { reason: status.reason }) },
    cf: { kernels: cf.name, threads: cf.threads },
    matmul: measureMatmul(size, seconds, label),
  };
  if (nativeTensorKernelsOn()) {
    setNativeTensorKernels(false);
    try {
      report.wasmMatmul = measureMatmul(size, seconds, 'wasm');
    } finally {
      setNativeTensorKernels(true);
    }
  }
  return report;
}
