import { tf } from './tf.js';

/**
 * A 2-D convolution's geometry in NHWC with HWIO filters, as the im2col
 * kernels (TypeScript here, C in native/src/conv.c) need it: tfjs's
 * Conv2DInfo reduced to integers. Bottom/right padding follow from the
 * output size.
 */
export interface ConvGeometry {
  n: number; h: number; w: number; cin: number;
  kh: number; kw: number; cout: number;
  oh: number; ow: number;
  sh: number; sw: number; dh: number; dw: number;
  pt: number; pl: number;
}

/** Attributes of tfjs's convolution kernels that shape the geometry. */
export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * The geometry of a convolution of input `xShape` with filter `filterShape`,
 * or undefined when the im2col kernels do not cover it (NCHW, or an output
 * size that is not an integer, which tfjs leaves to the caller to avoid).
 */
export function convGeometry(xShape: number[], filterShape: number[], attrs: ConvAttrs): ConvGeometry | undefined {
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || xShape.length !== 4 || filterShape.length !== 4) return undefined;
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast',
  );
  const g: ConvGeometry = {
    n: info.batchSize, h: info.inHeight, w: info.inWidth, cin: info.inChannels,
    kh: info.filterHeight, kw: info.filterWidth, cout: info.outChannels,
    oh: info.outHeight, ow: info.outWidth,
    sh: info.strideHeight, sw: info.strideWidth, dh: info.dilationHeight, dw: info.dilationWidth,
    pt: info.padInfo.top, pl: info.padInfo.left,
  };
  return Object.values(g).every((v) => Number.isInteger(v) && v >= 0) ? g : undefined;
}

/** The geometry as the native kernels take it (native/src/tensor_api.c), with the bias length last. */
export function geometryArray(g: ConvGeometry, biasLen = 0): Int32Array {
  return Int32Array.of(g.n, g.h, g.w, g.cin, g.kh, g.kw, g.cout, g.oh, g.ow, g.sh, g.sw, g.dh, g.dw, g.pt, g.pl, biasLen);
}

/** Output shape [n, oh, ow, cout]. */
export function outShape(g: ConvGeometry): number[] {
  return [g.n, g.oh, g.ow, g.cout];
}
