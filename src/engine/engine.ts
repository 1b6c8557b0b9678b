import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import { fail } from '../core/errors.js';
import { registerGradients } from './gradients/register.js';
import { registerWasmKernels } from './kernels/register.js';
import { nativeKernels, nativeStatus, type NativeKernels, type NativeStatus } from './native.js';
import { tensorAddon, type TensorAddon } from './native-tensor/addon.js';
import {
  blasConfig, nativeTensorKernelNames, registerNativeTensorKernels, setNativeTensorKernels, setTensorThreads, tensorThreads,
} from './native-tensor/register.js';
import { tf } from './tf.js';
import { wasmBinariesDir } from './wasm.js';

/**
 * Engine setup: TensorFlow.js on its wasm backend (the portable default),
 * with the kernels that backend lacks registered, and the native addon's
 * BLAS kernels (matmul, convolutions) registered over the wasm ones when the
 * addon was built with a CBLAS. The cpu backend (pure JS) is the reference
 * for kernel tests.
 *
 * VITRINE_NATIVE=0 turns the native kernels off; VITRINE_REQUIRE_NATIVE=1
 * makes their absence an error (CI); VITRINE_BLAS_THREADS sets the BLAS
 * threads when `threads` is not given (default 1).
 */

export interface EngineOptions {
  backend?: 'wasm' | 'cpu';
  /** Use the native kernels when available (default true). */
  native?: boolean;
  /** BLAS threads for the native kernels (default $VITRINE_BLAS_THREADS, else 1). */
  threads?: number;
  /** Told once per process (the first call that passes it), in words, when the native kernels are not in use; library code never prints. */
  onNotice?: (message: string) => void;
}

export interface EngineInfo {
  backend: 'wasm' | 'cpu';
  /** The wasm binary uses SIMD. */
  simd: boolean;
  /** Native BLAS kernels are registered and on. */
  native: boolean;
  nativeKernels: string[];
  /** Threads of the native kernels (BLAS), else of the wasm backend. */
  threads: number;
  /** The BLAS the native kernels link, when native. */
  blas?: string;
  /** Why the native kernels are not in use. */
  reason?: string;
}

let pathsSet = false;
let noticeGiven = false;
let info: EngineInfo | undefined;

/** Sets up the engine (idempotent; a second call may switch backend, native use or threads). */
export async function initEngine(opts: EngineOptions = {}): Promise<EngineInfo> {
  const backend = opts.backend ?? 'wasm';
  if (backend === 'wasm' && !pathsSet) {
    setWasmPaths(`${wasmBinariesDir()}/`);
    pathsSet = true;
  }
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) fail('UNSUPPORTED', `TensorFlow.js backend "${backend}" failed to initialise`);
  registerGradients();
  registerWasmKernels();
  const reason = backend === 'wasm' ? setUpNative(opts) : 'the cpu backend runs pure JavaScript kernels';
  if (reason !== undefined && backend === 'wasm' && !noticeGiven && opts.onNotice !== undefined) {
    noticeGiven = true;
    opts.onNotice(`native tensor kernels not in use (${reason}); running on plain wasm, several times slower`);
  }
  const simd = backend === 'wasm' && (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  info = describe(backend, simd, reason);
  return info;
}

/** The engine as set up by the last initEngine (call that first). */
export function engineInfo(): EngineInfo {
  if (info === undefined) fail('NOT_FITTED', 'the tensor engine is not initialised', { hint: 'call initEngine() first' });
  const backend = info.backend;
  return describe(backend, info.simd, info.reason);
}

function describe(backend: 'wasm' | 'cpu', simd: boolean, reason: string | undefined): EngineInfo {
  const names = backend === 'wasm' ? nativeTensorKernelNames() : [];
  const native = names.length > 0;
  const blas = native ? blasConfig() : undefined;
  return {
    backend,
    simd,
    native,
    nativeKernels: names,
    threads: native ? tensorThreads() : backend === 'wasm' ? getThreadsCount() : 1,
    ...(blas === undefined ? {} : { blas }),
    ...(native || reason === undefined ? {} : { reason }),
  };
}

/** Registers and configures the native kernels; returns why they are not in use, or undefined. */
function setUpNative(opts: EngineOptions): string | undefined {
  if (opts.native === false) {
    setNativeTensorKernels(false);
    return 'turned off by the caller';
  }
  const found = findTensorAddon(nativeKernels(), nativeStatus(), process.env);
  if ('reason' in found) return found.reason;
  registerNativeTensorKernels(found.addon);
  setNativeTensorKernels(true);
  setTensorThreads(opts.threads ?? envThreads());
  return undefined;
}

/**
 * The addon's tensor kernels, or why there are none. UNSUPPORTED when they
 * are missing and VITRINE_REQUIRE_NATIVE=1 (and not VITRINE_NATIVE=0) says
 * they must be there, as CI sets it.
 */
export function findTensorAddon(
  kernels: NativeKernels | undefined, status: NativeStatus, env: Record<string, string | undefined>,
): { addon: TensorAddon } | { reason: string } {
  const addon = tensorAddon(kernels);
  if (addon !== undefined) return { addon };
  const reason = status.loaded
    ? 'the native addon was built without BLAS (install libopenblas-dev, then `npm run build:native`)'
    : (status.reason ?? 'the native addon is unavailable');
  if (env.VITRINE_REQUIRE_NATIVE === '1' && env.VITRINE_NATIVE !== '0') fail('UNSUPPORTED', `native tensor kernels required (VITRINE_REQUIRE_NATIVE=1) but ${reason}`);
  return { reason };
}

function envThreads(): number {
  const n = Number(process.env.VITRINE_BLAS_THREADS);
  return Number.isInteger(n) && n > 0 ? n : 1;
}
