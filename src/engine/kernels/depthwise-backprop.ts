import { tf } from '../tf.js';
import { asWasmBackend, f32View, type KernelArgs, type WasmBackendLike } from '../wasm.js';

/**
 * The two gradients of a depthwise convolution, which the wasm backend
 * lacks (depthwise-separable encoders need them). Filter [kh, kw, cin, mult],
 * output channel d1·mult + m; NHWC. Both walk the forward relation
 *   y[b, oy, ox, d1·mult + m] = Σ_ij x[b, oy·sh + i·dh - pt, ox·sw + j·dw - pl, d1] · f[i, j, d1, m]
 * once and scatter its adjoint, so neither needs a flipped filter.
 */

interface DepthwiseAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function info(xShape: number[], filterShape: number[], a: DepthwiseAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true,
  );
}

/** Calls visit(xIndex, yIndex, fIndex) for every (input, output, filter) triple of the forward pass, by channel runs. */
function forEachTap(c: tf.backend_util.Conv2DInfo, visit: (xi: number, yi: number, fi: number, cin: number, mult: number) => void): void {
  const cin = c.inChannels;
  const mult = c.outChannels / cin;
  for (let b = 0; b < c.batchSize; b++) {
    for (let oy = 0; oy < c.outHeight; oy++) {
      for (let ox = 0; ox < c.outWidth; ox++) {
        const yi = ((b * c.outHeight + oy) * c.outWidth + ox) * c.outChannels;
        for (let i = 0; i < c.filterHeight; i++) {
          const iy = oy * c.strideHeight + i * c.dilationHeight - c.padInfo.top;
          if (iy < 0 || iy >= c.inHeight) continue;
          for (let j = 0; j < c.filterWidth; j++) {
            const ix = ox * c.strideWidth + j * c.dilationWidth - c.padInfo.left;
            if (ix < 0 || ix >= c.inWidth) continue;
            visit(((b * c.inHeight + iy) * c.inWidth + ix) * cin, yi, (i * c.filterWidth + j) * cin * mult, cin, mult);
          }
        }
      }
    }
  }
}

function zeroed(backend: WasmBackendLike, shape: number[]): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  f32View(backend, out).fill(0);
  return out;
}

export function depthwiseConv2dNativeBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const dy = args.inputs.dy as tf.TensorInfo;
  const filter = args.inputs.filter as tf.TensorInfo;
  const attrs = args.attrs as unknown as DepthwiseAttrs & { inputShape: number[] };
  const c = info(attrs.inputShape, filter.shape, attrs);
  const out = zeroed(backend, attrs.inputShape);
  const dx = f32View(backend, out);
  const dyv = f32View(backend, dy);
  const f = f32View(backend, filter);
  forEachTap(c, (xi, yi, fi, cin, mult) => {
    for (let d = 0; d < cin; d++) {
      let s = 0;
      for (let m = 0; m < mult; m++) s += dyv[yi + d * mult + m]! * f[fi + d * mult + m]!;
      dx[xi + d]! += s;
    }
  });
  return out;
}

export function depthwiseConv2dNativeBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const x = args.inputs.x as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const attrs = args.attrs as unknown as DepthwiseAttrs & { filterShape: number[] };
  const c = info(x.shape, attrs.filterShape, attrs);
  const out = zeroed(backend, attrs.filterShape);
  const df = f32View(backend, out);
  const xv = f32View(backend, x);
  const dyv = f32View(backend, dy);
  forEachTap(c, (xi, yi, fi, cin, mult) => {
    for (let d = 0; d < cin; d++) {
      const xd = xv[xi + d]!;
      for (let m = 0; m < mult; m++) df[fi + d * mult + m]! += xd * dyv[yi + d * mult + m]!;
    }
  });
  return out;
}
