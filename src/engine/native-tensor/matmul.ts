import { tf } from '../tf.js';
import { asWasmBackend, heapOf, offsetOf, type KernelArgs } from '../wasm.js';
import { activationCode, biasLength, type TensorAddon } from './addon.js';

/**
 * BatchMatMul and _FusedMatMul (bias + activation) on sgemm, in place on the
 * wasm heap. Shapes as tfjs's: a [...batch, m, k] (or [..., k, m] with
 * transposeA), b [...batch, k, n] (or [..., n, k]); a batch of 1 broadcasts,
 * as in the wasm kernel; anything else is left to the wasm kernel.
 */
export function nativeMatMul(args: KernelArgs, addon: TensorAddon): tf.TensorInfo | undefined {
  const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean; activation?: string; leakyreluAlpha?: number };
  const act = activationCode(attrs.activation);
  if (a === undefined || b === undefined || preluActivationWeights !== undefined || act === undefined) return undefined;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || (bias !== undefined && bias.dtype !== 'float32')) return undefined;
  if (a.shape.length < 2 || b.shape.length < 2) return undefined;
  const ta = attrs.transposeA === true;
  const tb = attrs.transposeB === true;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = a.shape[ta ? ra - 1 : ra - 2]!;
  const k = a.shape[ta ? ra - 2 : ra - 1]!;
  const n = b.shape[tb ? rb - 2 : rb - 1]!;
  if (b.shape[tb ? rb - 1 : rb - 2] !== k || k === 0) return undefined;
  const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = outer.reduce((x, y) => x * y, 1);
  if (batch !== Math.max(batchA, batchB) || (batchA !== batchB && batchA !== 1 && batchB !== 1)) return undefined;
  const blen = biasLength(bias?.shape, n);
  if (blen === undefined || (bias !== undefined && bias.shape.length > outer.length + 2)) return undefined;
  const backend = asWasmBackend(args.backend);
  const out = backend.makeOutput([...outer, m, n], 'float32');
  const geom = Int32Array.of(batchA, batchB, m, n, k, ta ? 1 : 0, tb ? 1 : 0, blen);
  const biasOff = bias === undefined ? -1 : offsetOf(backend, bias);
  addon.tensorMatMul(heapOf(backend), offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out), biasOff, geom, act, attrs.leakyreluAlpha ?? 0.2);
  return out;
}
