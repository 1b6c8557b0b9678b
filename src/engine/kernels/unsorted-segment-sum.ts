import type { tf } from '../tf.js';
import { asWasmBackend, f32View, i32View, type KernelArgs } from '../wasm.js';

/**
 * UnsortedSegmentSum for the wasm backend, which lacks it (tf.gather's
 * gradient needs it: embedding lookups in BPR-style losses). As tfjs's cpu
 * kernel: segmentIds has the shape of x's leading dimensions, out is
 * [numSegments, ...x.shape.slice(segmentIds.rank)], and ids outside
 * [0, numSegments) contribute nothing. One pass over x (the cpu kernel does
 * one masked reduction per segment).
 */
export function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const x = args.inputs.x as tf.TensorInfo;
  const segmentIds = args.inputs.segmentIds as tf.TensorInfo;
  const numSegments = Number(args.attrs?.numSegments);
  const idsRank = segmentIds.shape.length;
  const inner = x.shape.slice(idsRank).reduce((a, b) => a * b, 1);
  const outShape = [numSegments, ...x.shape.slice(idsRank)];
  const dtype = x.dtype === 'int32' ? 'int32' : 'float32';
  const out = backend.makeOutput(outShape, dtype);
  const ids = i32View(backend, segmentIds);
  const src = dtype === 'int32' ? i32View(backend, x) : f32View(backend, x);
  const dst = dtype === 'int32' ? i32View(backend, out) : f32View(backend, out);
  dst.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i]!;
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let k = 0; k < inner; k++) dst[to + k]! += src[from + k]!;
  }
  return out;
}
