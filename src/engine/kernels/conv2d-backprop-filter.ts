import { convGeometry, type ConvAttrs } from '../conv-geometry.js';
import type { tf } from '../tf.js';
import { asWasmBackend, f32View, type KernelArgs } from '../wasm.js';
import { im2colRows, transpose2d } from './im2col.js';
import { heapTensor, matmulPlain } from './wasm-gemm.js';

/** Column values per chunk: bounds the im2col buffer on the wasm heap (16 MB); tests lower it. */
export const backpropFilterChunk = { floats: 1 << 22 };

/**
 * Conv2DBackpropFilter for the wasm backend, which lacks it (every conv2d
 * gradient with respect to its filter needs it). As im2col plus one matmul
 * per chunk of output rows (Chellapilla et al. 2006), NHWC, K = kh·kw·cin:
 *   dWᵀ[cout, K] = Σ_chunks dy[chunk]ᵀ · cols[chunk]
 * with dy's chunk transposed here, so the wasm BatchMatMul runs without
 * transposes (its fast path). The C twin is native/src/conv.c.
 */
export function conv2dBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const x = args.inputs.x as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const attrs = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
  const g = convGeometry(x.shape, attrs.filterShape, { ...attrs, dilations: 1 });
  if (g === undefined) throw new Error(`vitrine: Conv2DBackpropFilter supports NHWC with integer output sizes (got ${attrs.dataFormat ?? 'NHWC'})`);
  if (dy.shape.join(',') !== [g.n, g.oh, g.ow, g.cout].join(',')) throw new Error(`vitrine: Conv2DBackpropFilter: dy is [${dy.shape.join(',')}], the convolution gives [${[g.n, g.oh, g.ow, g.cout].join(',')}]`);
  const m = g.n * g.oh * g.ow;
  const k = g.kh * g.kw * g.cin;
  const rows = Math.max(1, Math.min(m, Math.floor(backpropFilterChunk.floats / Math.max(k, 1))));
  const out = backend.makeOutput(attrs.filterShape, 'float32');
  f32View(backend, out).fill(0);
  for (let r0 = 0; r0 < m; r0 += rows) {
    const mc = Math.min(rows, m - r0);
    const cols = heapTensor(backend, [1, mc, k], (v) => im2colRows(f32View(backend, x), g, r0, r0 + mc, v));
    const dyT = heapTensor(backend, [1, g.cout, mc], (v) => transpose2d(f32View(backend, dy).subarray(r0 * g.cout, (r0 + mc) * g.cout), mc, g.cout, v));
    const part = matmulPlain(backend, dyT, cols); // [1, cout, K]
    const acc = f32View(backend, out);
    const p = f32View(backend, part);
    for (let c = 0; c < g.cout; c++) for (let j = 0; j < k; j++) acc[j * g.cout + c]! += p[c * k + j]!;
    for (const t of [part, cols, dyT]) backend.disposeData(t.dataId);
  }
  return out;
}
