import { convGeometry, type ConvAttrs } from '../conv-geometry.js';
import type { tf } from '../tf.js';
import { asWasmBackend, f32View, type KernelArgs } from '../wasm.js';
import { col2imAddRows, transpose2d } from './im2col.js';
import { heapTensor, matmulPlain, reshaped } from './wasm-gemm.js';

/** Column values per chunk (16 MB on the wasm heap); tests lower it. */
export const backpropInputChunk = { floats: 1 << 22 };

/**
 * Conv2DBackpropInput for the wasm backend, replacing tfjs's (direct loops,
 * ~1.6 GFLOPS, most of a DCGAN step on plain wasm: it is also every
 * transposed convolution's forward pass). As one matmul per chunk of output
 * rows and col2im, NHWC, K = kh·kw·cin:
 *   dcols[chunk] = dy[chunk] · Wᵀ (W [K, cout] transposed once here),  dx += col2im(dcols)
 * The C twin is native/src/conv.c. Returns undefined for what it does not
 * cover (NCHW), which the caller hands to tfjs's kernel.
 */
export function conv2dBackpropInput(args: KernelArgs): tf.TensorInfo | undefined {
  const backend = asWasmBackend(args.backend);
  const dy = args.inputs.dy as tf.TensorInfo;
  const filter = args.inputs.filter as tf.TensorInfo;
  const attrs = args.attrs as unknown as ConvAttrs & { inputShape: number[] };
  const g = convGeometry(attrs.inputShape, filter.shape, { ...attrs, dilations: 1 });
  if (g === undefined || dy.dtype !== 'float32' || g.oh !== dy.shape[1] || g.ow !== dy.shape[2]) return undefined;
  const m = g.n * g.oh * g.ow;
  const k = g.kh * g.kw * g.cin;
  const rows = Math.max(1, Math.min(m, Math.floor(backpropInputChunk.floats / Math.max(k, 1))));
  const out = backend.makeOutput(attrs.inputShape, 'float32');
  f32View(backend, out).fill(0);
  const wT = heapTensor(backend, [1, g.cout, k], (v) => transpose2d(f32View(backend, filter), k, g.cout, v));
  for (let r0 = 0; r0 < m; r0 += rows) {
    const mc = Math.min(rows, m - r0);
    const whole = mc === m;
    const dyc = whole ? reshaped(dy, [1, m, g.cout]) : heapTensor(backend, [1, mc, g.cout], (v) => v.set(f32View(backend, dy).subarray(r0 * g.cout, (r0 + mc) * g.cout)));
    const dcols = matmulPlain(backend, dyc, wT); // [1, mc, K]
    col2imAddRows(f32View(backend, dcols), g, r0, r0 + mc, f32View(backend, out));
    backend.disposeData(dcols.dataId);
    if (!whole) backend.disposeData(dyc.dataId);
  }
  backend.disposeData(wT.dataId);
  return out;
}
