import type { tf } from '../tf.js';

/**
 * PyTorch-style integer padding as tfjs explicit padding. tfjs's numeric
 * `pad` sizes both dimensions from the filter height and stride height only
 * (computeOutputShape2D), and its gradients drop `dimRoundingMode`, so vitrine
 * never passes a number: it passes [[0,0],[top,bottom],[left,right],[0,0]]
 * with the bottom/right padding trimmed so the output is exactly
 * floor((size + 2p - dilation·(k-1) - 1) / stride) + 1, as PyTorch's.
 * When even zero bottom padding leaves rows no window reaches, the input
 * must be cropped by `crop` rows/columns first.
 */
export interface PadPlan {
  pad: tf.backend_util.ExplicitPadding;
  cropBottom: number;
  cropRight: number;
}

function side(size: number, k: number, stride: number, dilation: number, p: number): [number, number, number] {
  const eff = dilation * (k - 1) + 1;
  const rem = (size + 2 * p - eff) % stride;
  const after = p - rem;
  return after >= 0 ? [p, after, 0] : [p, 0, -after];
}

export function torchPadding(
  h: number, w: number, kernel: [number, number], stride: [number, number], dilation: [number, number], padding: [number, number],
): PadPlan {
  const [pt, pb, ch] = side(h, kernel[0], stride[0], dilation[0], padding[0]);
  const [pl, pr, cw] = side(w, kernel[1], stride[1], dilation[1], padding[1]);
  return { pad: [[0, 0], [pt, pb], [pl, pr], [0, 0]], cropBottom: ch, cropRight: cw };
}

/** A number or pair as a pair. */
export function pair(v: number | [number, number] | undefined, dflt: number): [number, number] {
  if (v === undefined) return [dflt, dflt];
  return typeof v === 'number' ? [v, v] : v;
}
