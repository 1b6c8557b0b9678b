import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { tf } from './tf.js';

/**
 * The parts of tfjs-backend-wasm's BackendWasm that vitrine's own kernels
 * use: tensors live on the WebAssembly heap (`wasm.HEAPU8.buffer`) at the
 * byte offset its data map records. The heap ArrayBuffer is replaced when
 * wasm memory grows (any allocation may grow it), so a kernel allocates its
 * outputs first and only then takes `heapOf(backend)`.
 */
export interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/** What tfjs passes a kernel function. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

/** The wasm backend behind a kernel's `backend` argument. */
export function asWasmBackend(backend: unknown): WasmBackendLike {
  const b = backend as Partial<WasmBackendLike> | null;
  if (b?.wasm?.HEAPU8 === undefined || b.dataIdMap === undefined) throw new Error('vitrine: kernel expects the wasm backend');
  return b as WasmBackendLike;
}

/** The current heap; take it after the last allocation of a kernel. */
export function heapOf(backend: WasmBackendLike): ArrayBuffer {
  return backend.wasm.HEAPU8.buffer as ArrayBuffer;
}

/** Byte offset of a tensor's data on the heap. */
export function offsetOf(backend: WasmBackendLike, t: tf.TensorInfo): number {
  const d = backend.dataIdMap.get(t.dataId);
  if (d === undefined) throw new Error('vitrine: tensor is not on the wasm backend');
  return d.memoryOffset;
}

/** A float32 view of a tensor on the heap (valid until the next allocation). */
export function f32View(backend: WasmBackendLike, t: tf.TensorInfo): Float32Array {
  const size = t.shape.reduce((a, b) => a * b, 1);
  return new Float32Array(heapOf(backend), offsetOf(backend, t), size);
}

/** An int32 view of a tensor on the heap (valid until the next allocation). */
export function i32View(backend: WasmBackendLike, t: tf.TensorInfo): Int32Array {
  const size = t.shape.reduce((a, b) => a * b, 1);
  return new Int32Array(heapOf(backend), offsetOf(backend, t), size);
}

/**
 * The folder holding tfjs-backend-wasm's .wasm binaries: resolved as a
 * module (works wherever npm put it), else under the package root's
 * node_modules, found the way native.ts finds the root.
 */
export function wasmBinariesDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  } catch {
    return join(packageRoot(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  }
}

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
